/** Public API of the inference-gptj module; implementation lives in the {@code internal} subpackage. */
package dev.switchboard.gptj;
