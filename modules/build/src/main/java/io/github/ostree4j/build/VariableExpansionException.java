package io.github.ostree4j.build;

/** A {@code ${...}} substitution that is malformed or fails on purpose ({@code ${v:?msg}}). */
public class VariableExpansionException extends Exception {

  private static final long serialVersionUID = 1L;

  public VariableExpansionException(String message) {
    super(message);
  }
}
