package io.modax.fleet.cli;

/**
 * An option value the command refuses, found before any database starts. The message names the
 * option as it is typed ({@code --threshold 70 is outside [0, 1]}); the command line prints it with
 * a pointer to the command's help and exits with status 2.
 */
final class UsageException extends RuntimeException {
  UsageException(String message) {
    super(message, null, false, false);
  }
}
