/**
 * Activity interfaces (one method per stage) and their request/result records. Records carry artifact keys and
 * small numbers only: Temporal payloads are capped at 2 MB, tensors live in the artifact store.
 */
package dev.mona.workflows.stage;
