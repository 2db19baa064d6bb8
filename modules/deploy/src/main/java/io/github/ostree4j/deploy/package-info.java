/**
 * Nodes: an ostree sysroot in libostree's layout (deployments, boot loader entries, /etc merge)
 * and the commands that move it between images: rebase, upgrade, rollback, status, cleanup.
 */
package io.github.ostree4j.deploy;
