/**
 * Not API: shared machinery of the library's packages (argument checks, transactions and tenant
 * scoping, component sums). Public only so that the library's own packages can share it; may change
 * in any release.
 */
@NullMarked
package io.modax.fleet.internal;

import org.jspecify.annotations.NullMarked;
