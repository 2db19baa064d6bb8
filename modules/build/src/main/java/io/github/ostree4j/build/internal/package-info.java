/** Implementation of the build module; not API. */
package io.github.ostree4j.build.internal;
