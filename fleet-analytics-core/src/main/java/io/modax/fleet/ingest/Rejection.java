package io.modax.fleet.ingest;

/** Why one record was refused: a reason code and a message naming the field, value and rule. */
record Rejection(QuarantineReason reason, String message) {}
