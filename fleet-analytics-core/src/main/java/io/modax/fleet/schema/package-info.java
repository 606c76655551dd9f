/**
 * Installing, upgrading and validating the warehouse schema: {@link io.modax.fleet.schema.FleetSchema}.
 *
 * <p>The schema ships as versioned plain-SQL migrations inside the library jar. A host chooses who
 * runs them ({@link io.modax.fleet.schema.SchemaAction}): the library at start-up, nobody but a
 * validation, or the host's own migration tool with the SQL from {@link
 * io.modax.fleet.schema.FleetSchema#sql(String)}.
 */
@NullMarked
package io.modax.fleet.schema;

import org.jspecify.annotations.NullMarked;
