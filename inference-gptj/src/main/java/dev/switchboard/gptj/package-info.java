/**
 * GPT-J inference in Java, in process. Entry point: {@link dev.switchboard.gptj.GptjEngine#load}
 * with {@link dev.switchboard.gptj.EngineOptions}; requests are {@link dev.switchboard.gptj.GenerationRequest}s
 * (prompt text or token ids, {@link dev.switchboard.gptj.Sampling}, stop sequences), answered by
 * {@link dev.switchboard.gptj.GenerationResult}s and streamed to a {@link dev.switchboard.gptj.TokenListener}.
 * Errors are {@link dev.switchboard.gptj.GptjException}s. Everything else is in the {@code internal}
 * subpackages and not for use outside this module.
 */
package dev.switchboard.gptj;
