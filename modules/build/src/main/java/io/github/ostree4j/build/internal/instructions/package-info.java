/**
 * The instruction level of Containerfile parsing (BuildKit's {@code instructions} package): turns
 * syntax nodes into typed {@link io.github.ostree4j.build.Instruction}s, checking keywords,
 * flags, argument counts and values that can be checked before variables are known. Not API.
 */
package io.github.ostree4j.build.internal.instructions;
