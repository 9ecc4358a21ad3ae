package dev.jbolt.session;

import java.nio.file.Path;

/**
 * Where the project is: {@code --project}, {@code --inventoryfile}, {@code --modulepath} (more
 * module directories separated by ':'); each may be null.
 */
public record ProjectOptions(Path project, Path inventory, String modulepath) {
  public static final ProjectOptions NONE = new ProjectOptions(null, null, null);
}
