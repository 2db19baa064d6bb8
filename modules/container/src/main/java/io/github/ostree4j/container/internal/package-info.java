/** Implementation of the container module; not API. */
package io.github.ostree4j.container.internal;
