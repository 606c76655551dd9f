/**
 * The design's JSON for the library's results, in one place: {@link io.modax.fleet.json.FleetJson}
 * maps each result to an ordered tree of JSON values with the design's snake_case names and writes
 * it as text, with no JSON library. The command line's {@code --format json} and the Spring Boot
 * starter's endpoints both answer through it, so the same quantity has the same name everywhere.
 */
@NullMarked
package io.modax.fleet.json;

import org.jspecify.annotations.NullMarked;
