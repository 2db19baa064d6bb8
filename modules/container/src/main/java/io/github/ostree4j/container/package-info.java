/**
 * ostree native containers: ostree commits as OCI images (the ostree-ext tar stream, chunked
 * layers, labels) and the way back (unencapsulate, layered import with a merge commit).
 */
package io.github.ostree4j.container;
