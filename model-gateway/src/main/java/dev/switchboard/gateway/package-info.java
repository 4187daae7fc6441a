/** Public API of the model-gateway module; implementation lives in the {@code internal} subpackage. */
package dev.switchboard.gateway;
