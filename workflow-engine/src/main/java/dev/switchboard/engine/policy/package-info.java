/**
 * Governance node kinds for workflow graphs: content policies and human review. Register them with
 * {@link dev.switchboard.engine.policy.PolicyKinds#register}; the app turns review suspensions into
 * tasks with {@link dev.switchboard.engine.policy.ReviewRequest}.
 *
 * <h2>Every {@code policy.*} node</h2>
 * <ul>
 *   <li>{@code text} — template of what to check ({@code "{{in.text}}"}, {@code "{{ai.text}}"});</li>
 *   <li>{@code action} — what to do when the policy matches: {@code pass} (record only),
 *       {@code redact}, {@code block} (the run ends {@code blocked} with {@code message}),
 *       {@code flag} (continue, {@code flagged: true}), {@code review} (a person decides);</li>
 *   <li>{@code message} — shown to the end user when blocked (SMS reply, share page, API error);</li>
 *   <li>with {@code action: review}: {@code reviewTimeout} ({@code "24h"}, {@code "7d"}; default
 *       24 h, at most 30 days), {@code onReviewTimeout} ({@code approve|reject}, default reject),
 *       {@code instructions} for the reviewer;</li>
 *   <li>the engine's shared keys {@code timeout}, {@code retry}, {@code onError}, {@code default}.</li>
 * </ul>
 * They expose {@code text} (redacted/truncated when so), {@code flags} (one object per finding:
 * {@code type}, {@code start}/{@code end} UTF-16 offsets into the checked text, what matched —
 * a term, a pattern name, a rule — and the {@code action}; never the raw value of a redacted
 * span), {@code matched}, {@code flagged}, {@code action} ({@code none} when nothing matched),
 * {@code reason}; {@code score} for injection and judge; {@code decision}/{@code timedOut} after
 * a review.
 *
 * <h2>Kinds and their own keys</h2>
 * <table>
 *   <caption>policy kinds</caption>
 *   <tr><th>type</th><th>keys</th><th>default action</th></tr>
 *   <tr><td>{@code policy.pii}</td><td>{@code types} (email, phone, credit_card, ssn, iban,
 *       ip_address; default all), {@code regions} (countries whose national phone formats count,
 *       default {@code ["US"]}), {@code restore} (keep a sealed map in output {@code vault} for
 *       {@code policy.restore})</td><td>redact ({@code [EMAIL_1]}, {@code [PHONE_2]}, ...)</td></tr>
 *   <tr><td>{@code policy.blocklist}</td><td>{@code terms} (words/phrases; {@code "scam*"} =
 *       prefix), {@code wholeWord} (default true), {@code replacement} (default
 *       {@code [REDACTED]})</td><td>block</td></tr>
 *   <tr><td>{@code policy.regex}</td><td>{@code deny}, {@code allow} (patterns or
 *       {@code {name, pattern}}), {@code caseInsensitive}, {@code replacement}</td><td>block</td></tr>
 *   <tr><td>{@code policy.length}</td><td>{@code maxChars}, {@code minChars}, {@code maxTokens},
 *       {@code minTokens}; redact truncates</td><td>block</td></tr>
 *   <tr><td>{@code policy.injection}</td><td>{@code threshold} (0–1, default 0.5)</td><td>block</td></tr>
 *   <tr><td>{@code policy.rule}</td><td>{@code expression} (CEL, true = act; {@code text}
 *       optional)</td><td>block</td></tr>
 *   <tr><td>{@code policy.judge}</td><td>{@code model}, {@code rubric} (template),
 *       {@code maxTokens} (200), {@code temperature} (0)</td><td>block</td></tr>
 * </table>
 * Plus {@code policy.restore} ({@code text}, {@code from}: the pii node(s); exposes {@code text},
 * {@code restored}, {@code unresolved}) and {@code review} ({@code text}, {@code timeout},
 * {@code onTimeout}, {@code instructions}; exposes {@code text}, {@code decision},
 * {@code timedOut}).
 */
package dev.switchboard.engine.policy;
