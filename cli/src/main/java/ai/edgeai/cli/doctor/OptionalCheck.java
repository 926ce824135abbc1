package ai.edgeai.cli.doctor;

import ai.edgeai.cli.config.EdgeaiConfig;

/**
 * A part edgeai can do without but some features need (a native library, a tool, a service).
 * To add one, implement this and list it in {@link Doctor#OPTIONAL_CHECKS}. A check must not
 * throw and must finish within about a second.
 */
public interface OptionalCheck {

  /** Short name shown in the table and used as {@code name} in JSON. */
  String name();

  CheckResult run(EdgeaiConfig config);
}
