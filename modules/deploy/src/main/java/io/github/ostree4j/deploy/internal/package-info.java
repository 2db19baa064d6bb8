/** Implementation of the deploy module; not API. */
package io.github.ostree4j.deploy.internal;
