/**
 * Public API of the workflow engine: graph definitions ({@link dev.switchboard.engine.GraphDefinition}),
 * validation ({@link dev.switchboard.engine.ValidationProblem}), the engine
 * ({@link dev.switchboard.engine.WorkflowEngine}), runs ({@link dev.switchboard.engine.RunRequest},
 * {@link dev.switchboard.engine.RunHandle}, {@link dev.switchboard.engine.RunOutcome},
 * {@link dev.switchboard.engine.RunListener}), the node SPI ({@link dev.switchboard.engine.NodeKind},
 * {@link dev.switchboard.engine.NodeExecutor}) and the model seam ({@link dev.switchboard.engine.ModelClient}).
 * The implementation lives in {@code dev.switchboard.engine.internal}, which nothing outside this
 * module may use. See the module README for the rules users see (templates, conditions, branches).
 */
package dev.switchboard.engine;
