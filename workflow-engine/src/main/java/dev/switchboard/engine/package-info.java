/** Public API of the workflow-engine module; implementation lives in the {@code internal} subpackage. */
package dev.switchboard.engine;
