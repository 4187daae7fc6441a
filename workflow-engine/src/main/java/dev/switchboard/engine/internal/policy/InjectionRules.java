package dev.switchboard.engine.internal.policy;

import java.util.List;
import java.util.regex.Pattern;

/**
 * The prompt-injection signals, each with a weight in (0, 1]. Most run on folded text
 * ({@link TextFolding}: lower case, no diacritics, look-alikes mapped, whitespace collapsed); the
 * ones about line structure and special tokens run on the original. Weights reflect how rarely a
 * signal shows up in benign text: a single strong signal (0.8+) is enough at the default threshold
 * 0.5; weak ones (authority claims, "stay in character") only count together.
 */
final class InjectionRules {

    enum Category { OVERRIDE, ROLE_PLAY, EXFILTRATION, DELIMITER, AUTHORITY, OBFUSCATION, EXFIL_CHANNEL }

    /** @param original whether the pattern runs on the original text rather than the folded one */
    record Rule(String name, Category category, double weight, Pattern pattern, boolean original, List<String> gate) {

        /** Whether the rule can match {@code text} at all (see {@link LiteralGate}). */
        boolean mayMatch(String text) {
            return LiteralGate.open(gate, text);
        }
    }

    /** Separator between words in folded text. */
    private static final String W = "[^\\p{L}\\p{N}]+";
    /** Up to n filler words. */
    private static String upTo(int n) {
        return "(?:" + W + "[\\p{L}\\p{N}']+){0," + n + "}?";
    }

    private static final String OVERRIDE_VERBS = "(?:ignore|ignoring|disregard|disregarding|forget|forgetting|skip|bypass|override|"
            + "overlook|neglect|abandon|discard|dismiss|set aside|throw away|throw out|erase|reset|scrap)";
    private static final String PRIOR = "(?:all|any|every|previous|previously|prior|preceding|earlier|above|foregoing|former|"
            + "initial|original|old|existing|current|your|system|developer|safety|these|those|given|provided|default|preset|"
            + "pre-?programmed|hidden|built-?in)";
    private static final String DIRECTIVES = "(?:instructions?|prompts?|rules|directives?|directions|guidelines?|guidance|commands?|criteria|context|"
            + "constraints?|restrictions?|limitations?|programming|policies|filters?|safeguards?|guardrails?|conditioning|"
            + "system prompt|system message|moderation|protocols?)";
    /** Verbs that, aimed at "the system prompt", only make sense as extraction. */
    private static final String SHOW_VERBS = "(?:reveal|show|print|display|output|repeat|leak|dump|disclose|expose|write out|"
            + "spell out|recite|copy|paste|echo|translate|summari[sz]e|paraphrase|encode|quote)";
    /** Verbs that also ask innocent questions; aimed only at "your ..." prompt. */
    private static final String ASK_VERBS = "(?:tell|give|share|list|return|provide|what is|what are|what was|what were|whats|"
            + "what's|what is written in|what's written in|whats written in|continue with)";
    private static final String SECRET_QUALIFIERS = "(?:system|initial|original|hidden|secret|internal|developer|pre-?prompt|"
            + "first|starting|confidential|underlying|full|exact|complete|verbatim|entire|preset|base)";
    private static final String FREEDOM = "(?:unrestricted|unfiltered|uncensored|unlimited|unbound|unchained|unleashed|amoral|"
            + "immoral|unethical|evil|rogue|jailbroken|jailbreak|lawless|rule-?less|no-?limits?|limitless|without (?:any )?(?:limits|"
            + "restrictions|rules|filters|morals|ethics|boundaries|guidelines|censorship))";

    static final List<Rule> RULES = List.of(
            // --- overriding the instructions
            folded("ignore_instructions", Category.OVERRIDE, 0.85,
                    "\\b" + OVERRIDE_VERBS + "\\b" + upTo(3) + W + PRIOR + "\\b" + upTo(3) + W + DIRECTIVES + "\\b"),
            folded("ignore_what_you_were_told", Category.OVERRIDE, 0.7,
                    "\\b(?:ignore|disregard|forget|never mind)\\b what (?:the [\\p{L}]+|they|you were|you've been|you have been|i|your [\\p{L}]+|"
                            + "the system|anyone|others)\\b.{0,15}?\\b(?:told|said|instructed|asked|wrote|programmed)\\b"),
            folded("ignore_the_task", Category.OVERRIDE, 0.6,
                    "\\b(?:ignore|disregard|forget|skip)\\b (?:the|your|this) (?:user's |users' )?(?:question|request|rubric|task|criteria|"
                            + "grading|assignment|prompt|query)\\b"),
            folded("instead_of_task", Category.OVERRIDE, 0.35,
                    "\\binstead of (?:summari[sz]ing|translating|answering|responding|replying|grading|doing (?:that|this|the task)|following)\\b"),
            original("hidden_comment_to_ai", Category.OVERRIDE, 0.45,
                    "(?is)<!--.{0,300}?\\b(?:ai|assistant|model|llm|chatbot|gpt|claude)\\b"),
            folded("follow_mine_instead", Category.OVERRIDE, 0.6,
                    "\\b(?:follow|obey|listen to) (?:only )?(?:my|these|the following) (?:instructions|commands|orders|rules)\\b.{0,40}?\\binstead\\b"
                            + "|\\binstead\\b.{0,40}?\\b(?:follow|obey) (?:only )?(?:my|these) (?:instructions|commands|orders)\\b"),
            folded("forget_you_are_ai", Category.ROLE_PLAY, 0.7,
                    "\\b(?:forget|ignore) (?:that )?(?:you're|you are|youre|u r) (?:an? |the )?(?:ai|assistant|chatbot|bot|model|language model|llm)\\b"
                            + "|\\b(?:you're|you are|youre) (?:now )?an? (?:linux |unix |bash |python )?(?:shell|terminal|interpreter|console)\\b"),
            folded("everything_you_were_told", Category.EXFILTRATION, 0.7,
                    "\\b(?:everything|all|whatever|anything) (?:that )?(?:you were|you've been|you have been|you got) (?:told|given|instructed|fed)\\b"),
            folded("ignore_that_instead", Category.OVERRIDE, 0.6,
                    "\\b(?:ignore|disregard|forget) (?:that|this|it|the question|the task|the above)" + W
                            + "(?:and )?(?:instead|just|only)\\b" + upTo(2) + W + "(?:write|say|output|print|respond|reply|answer|type|tell)\\b"),
            folded("given_instructions_rejected", Category.OVERRIDE, 0.6,
                    "\\b(?:do not|don't|dont|never|stop|no longer)\\b.{0,30}?\\b(?:follow|obey|listen to|apply)\\b.{0,30}?"
                            + "\\b(?:instructions?|rules|guidelines|prompt|directives)\\b (?:that )?(?:you (?:were|have been|got) (?:given|told)|"
                            + "given to you|you received|above|earlier|before|previously)"),
            folded("addressed_to_ai", Category.OVERRIDE, 0.45,
                    "\\b(?:note|message|instruction|instructions|p\\.?s\\.?) (?:to|for) (?:the |any |all )?(?:ai|llm|language model|"
                            + "assistant|chatbot|bot|model|summari[sz]er|screener)s?\\b|\\b(?:ai|llm|language model|assistant|chatbot|model)s? "
                            + "(?:reading|screening|summari[sz]ing|processing|that reads?) (?:this|these)\\b"),
            folded("ignore_everything_above", Category.OVERRIDE, 0.8,
                    "\\b" + OVERRIDE_VERBS + W + "(?:everything|all|anything|what(?:ever)? (?:was|you were|i) (?:said|told|written|given))"
                            + W + "(?:(?:you were|i|that was|that's been|that has been|we) (?:told|said|given|written)" + W + ")?"
                            + "(?:above|before|previously|earlier|so far|up to now|until now|prior)\\b"),
            folded("do_not_follow", Category.OVERRIDE, 0.8,
                    "\\b(?:do not|don't|dont|never|stop|no longer|quit)" + W + "(?:follow(?:ing)?|obey(?:ing)?|listen(?:ing)? to|adher(?:e|ing) to|comply(?:ing)? with)"
                            + upTo(2) + W + PRIOR + upTo(2) + W + DIRECTIVES + "\\b"),
            folded("instructions_void", Category.OVERRIDE, 0.75,
                    "\\b(?:(?:previous|prior|above|earlier|original|old|system|initial|your|all) " + DIRECTIVES + "|" + DIRECTIVES
                            + " (?:above|before|so far|until now|you (?:were|have been) given))" + W
                            + "(?:(?:are|were|is|have been|has been) )?(?:now )?(?:void|cancelled|canceled|invalid|obsolete|revoked|"
                            + "overridden|no longer (?:valid|apply|applicable|in effect)|outdated|fake|wrong|a test|lifted|suspended|disabled)"),
            folded("new_instructions", Category.OVERRIDE, 0.55,
                    "\\b(?:new|updated|real|actual|revised|override|overriding|secret|true) (?:instructions?|directives?|system prompt|system instructions)\\s?[:\\-]"
                            + "|\\byour (?:new|real|true|actual|only) (?:instructions?|directives?|task|objective|purpose|mission) (?:is|are|will be|now)\\b"),
            folded("new_rules_weak", Category.OVERRIDE, 0.3,
                    "\\b(?:new|updated|real) (?:rules|task|orders)\\s?[:\\-]|\\byour (?:new|real|true) (?:role|job|goal) (?:is|will be)\\b"),
            folded("lie_mode", Category.OVERRIDE, 0.5,
                    "\\bopposite of (?:what is true|the truth|your (?:guidelines|rules|instructions|programming))\\b|\\b(?:always|only) lie\\b"
                            + "|\\brespond with (?:false|incorrect|wrong) (?:answers|information)\\b"),
            folded("from_now_on", Category.OVERRIDE, 0.45,
                    "\\b(?:from now on|from this (?:point|moment) (?:on|forward)|for the rest of (?:this|the) conversation|"
                            + "starting now|henceforth)" + W + "(?:you|your|u|act|respond|answer|reply|pretend|behave|ignore|only)\\b"),
            folded("ignore_instructions_fr", Category.OVERRIDE, 0.85,
                    "\\b(?:ignore[rsz]?|oublie[rsz]?|ne tiens pas compte de?s?)" + upTo(2) + W
                            + "(?:instructions?|consignes?|regles|directives?)" + upTo(1) + W + "(?:precedentes?|anterieures?|ci-dessus|du systeme|initiales?)\\b"),
            folded("ignore_instructions_es_pt_it", Category.OVERRIDE, 0.85,
                    "\\b(?:ignora[rs]?|ignore|ignorar|olvida[rs]?|olvide|esqueca|esquece|omite|dimentica)" + upTo(2) + W
                            + "(?:instrucciones|instrucoes|istruzioni|reglas|regras|regole|indicaciones|indicazioni)" + upTo(1) + W
                            + "(?:anteriores|previas|precedentes|precedenti|previe|del sistema|do sistema|di sistema)\\b"),
            folded("ignore_instructions_de_nl", Category.OVERRIDE, 0.85,
                    "\\b(?:ignorier(?:e|en)?|vergiss|vergessen sie|missachte|negeer|vergeet)" + upTo(2) + W
                            + "(?:vorherigen|bisherigen|obigen|vorigen|vorangegangenen|alle|deine|ihre|eerdere|vorige|alle) ?"
                            + "(?:anweisungen|instruktionen|regeln|befehle|vorgaben|instructies|regels)\\b"),
            // --- role play and "jailbreak" personas
            folded("do_anything_now", Category.ROLE_PLAY, 0.45, "\\bdo anything now\\b"),
            folded("dan_persona", Category.ROLE_PLAY, 0.9,
                    "\\b(?:you are|you're|youre|act as|pretend to be|become|be|called|named) (?:now )?(?:a )?dan\\b|\\bdan mode\\b"),
            folded("jailbreak_mode", Category.ROLE_PLAY, 0.75,
                    "\\b(?:jailbreak|jailbroken|evil|chaos|opposite|unrestricted|unfiltered|uncensored|dan|anti-?dan|"
                            + "no-?filter) mode\\b|\\bdeveloper mode (?:enabled|activated|output|is (?:now )?(?:on|enabled|active))\\b|"
                            + "\\b(?:enable|activate|enter|switch to|turn on) (?:the )?(?:developer|dev) mode and\\b|\\bjailbreak(?:ed|ing)? (?:you|yourself|the (?:ai|model|bot|assistant))\\b"),
            folded("special_mode_weak", Category.ROLE_PLAY, 0.3, "\\b(?:god|dev|debug|admin|maintenance|sudo|root) mode\\b"),
            folded("unrestricted_output", Category.ROLE_PLAY, 0.45,
                    "\\b(?:unrestricted|unfiltered|uncensored|unmoderated) (?:output|answers?|responses?|replies|reply|mode|content)\\b"),
            folded("policy_does_not_exist", Category.ROLE_PLAY, 0.75,
                    "\\b(?:pretend|imagine|assume|act as if|suppose|let's say)\\b" + upTo(2) + W + "(?:the |your |any |all )?"
                            + "(?:content |safety |usage |ethical |moderation )?(?:policy|policies|guidelines|rules|filters|restrictions|limits)"
                            + W + "(?:don't|doesn't|do not|does not|didn't|did not|no longer|never) (?:exist|apply|matter|existed)"),
            folded("has_no_filters", Category.ROLE_PLAY, 0.45,
                    "\\b(?:has|have|with) (?:no|zero) (?:filters|restrictions|rules|limits|guidelines|morals|ethics|censorship|boundaries)\\b"
                            + "|\\bnever (?:warns|refuses|declines|says no|holds back)\\b"),
            folded("identity_reassignment", Category.ROLE_PLAY, 0.6,
                    "\\b(?:you are|you're|youre|u r) no longer (?:a|an|the|my|bound|restricted|limited|an? ai|chatgpt|claude|an assistant)\\b"),
            folded("unrestricted_persona", Category.ROLE_PLAY, 0.8,
                    "\\b(?:act|acting|behave|respond|answer|reply|pretend|roleplay|role-?play|play|imagine|simulate|emulate|become|"
                            + "you are now|you're now|youre now|you will be|you are going to be|you are going to act)" + upTo(5) + W + FREEDOM),
            folded("no_restrictions_you", Category.ROLE_PLAY, 0.6,
                    "\\b(?:you|your|ai|assistant|chatbot|model|[\\p{L}]*(?:bot|gpt))" + upTo(3) + W + "(?:have no|has no|with no|without|free (?:of|from)|"
                            + "not bound by|not restricted by|unbound by|don't have|do not have|are not limited by|aren't limited by)"
                            + "(?: any)?(?:" + W + "[\\p{L}']+){0,2}" + W + "(?:restrictions|filters|limitations|limits|rules|guidelines|"
                            + "policies|constraints|boundaries|morals|ethics|censorship|content polic(?:y|ies))\\b"),
            folded("bypass_safety", Category.ROLE_PLAY, 0.65,
                    "\\b(?:no|without|ignore|ignoring|bypass|bypassing|disregard|free of|not bound by|break|breaking|violate|"
                            + "circumvent|disable|turn off|remove)" + upTo(2) + W + "(?:ethical|moral|safety|content|openai|anthropic|"
                            + "usage|ai) (?:guidelines|restrictions|filters|policies|policy|constraints|rules|protocols|guardrails|limitations)\\b"),
            folded("persona_acronym", Category.ROLE_PLAY, 0.65,
                    "\\b(?:pretend to be|act as|you are|you're|youre|become|called|named) (?:an? )?[\\p{L}]{2,12},? (?:which|who|that) stands for\\b"),
            folded("answer_everything", Category.ROLE_PLAY, 0.3,
                    "\\b(?:must|have to|will|shall) (?:answer|respond to|reply to|comply with) (?:every|any|all|everything)\\b"
                            + "|\\balways (?:answers|complies|obeys)\\b|\\banswers? (?:anything|everything)\\b"),
            folded("even_harmful", Category.ROLE_PLAY, 0.45,
                    "\\b(?:even|including) (?:the )?(?:illegal|unethical|harmful|dangerous|immoral) (?:ones|questions|requests|things|content)\\b"
                            + "|\\blet'?s break (?:the|all|some) rules\\b"),
            folded("safety_disabled", Category.AUTHORITY, 0.6,
                    "\\b(?:security|safety|content) (?:protocols?|filters?|restrictions|guardrails|checks|policies) (?:are |have been |were )?"
                            + "(?:now )?(?:disabled|off|lifted|removed|deactivated|suspended)\\b"),
            folded("cannot_refuse", Category.ROLE_PLAY, 0.45,
                    "\\b(?:you|u) (?:can ?not|can't|cant|must not|mustn't|will not|won't|may not|are not allowed to|never) (?:ever )?"
                            + "(?:refuse|decline|say no|reject)\\b|\\bnever refuse\\b|\\bwithout refusing\\b|"
                            + "\\b(?:answer|respond to|reply to) (?:every|any|all) (?:question|request|prompt)s? (?:without|no matter)\\b"),
            folded("stay_in_character", Category.ROLE_PLAY, 0.35,
                    "\\bstay in character\\b|\\b(?:never|don't|do not|dont) break character\\b|\\bremain in character\\b"),
            folded("dual_response", Category.ROLE_PLAY, 0.6,
                    "\\b(?:two|2|both) (?:different )?(?:responses|answers|replies)\\b" + upTo(12) + W + "(?:jailbreak|jailbroken|dan|unfiltered|"
                            + "developer mode|uncensored|evil)\\b|\\[(?:🔓|🔒)?\\s?(?:jailbreak|classic)\\]"),
            folded("grandma_exploit", Category.ROLE_PLAY, 0.55,
                    "\\b(?:late|dead|deceased|dear|departed) (?:grand(?:ma|mother|pa|father)|granny|nana)\\b" + upTo(8) + W
                            + "(?:used to|would) (?:tell|read|recite|say|sing|explain)"),
            folded("pretend_ai_can", Category.ROLE_PLAY, 0.55,
                    "\\b(?:pretend|imagine|suppose|act as if|act like)" + upTo(3) + W + "(?:an? )?(?:ai|assistant|chatbot|model|llm|gpt\\S*|bot)"
                            + W + "(?:that|which|who) (?:can|could|has no|have no|is not|isn't|does not|doesn't|will)\\b"),
            // --- exfiltrating the system prompt or secrets
            folded("reveal_system_prompt", Category.EXFILTRATION, 0.85,
                    "\\b(?:" + SHOW_VERBS + upTo(3) + W + "(?:your|the|its|this|my|our)?|" + ASK_VERBS + upTo(3) + W + "(?:your|ur|its))"
                            + upTo(1) + W + SECRET_QUALIFIERS + W
                            + "(?:prompts?|instructions?|rules|guidelines|directives|configuration|context|system prompt|system message)\\b"),
            folded("reveal_your_prompt", Category.EXFILTRATION, 0.7,
                    "\\b(?:" + SHOW_VERBS + "|" + ASK_VERBS + ")" + upTo(2) + W + "(?:your|ur) (?:own )?(?:instructions|programming|directives|"
                            + "initial message|configuration|rules and instructions)\\b|\\b(?:" + SHOW_VERBS + "|" + ASK_VERBS + ")" + upTo(5) + W
                            + "(?:your|ur) (?:own )?(?:prompt|pre-?prompt|system prompt|system message)\\b"),
            folded("instructions_you_received", Category.EXFILTRATION, 0.6,
                    "\\b(?:instructions|prompt|rules|directives|guidelines) (?:that )?you (?:received|were given|got|were told)\\b"
                            + "|\\b(?:rest|remainder) of (?:your|the) (?:instructions|prompt|system prompt|rules)\\b"),
            folded("repeat_above", Category.EXFILTRATION, 0.8,
                    "\\b(?:repeat|print|output|recite|echo|reproduce|write (?:out|down)|dump)" + upTo(3) + W
                            + "(?:everything|all|the text|the words|the content|the message|the lines|what is|what was|what's|whatever is|whatever was)"
                            + upTo(3) + W + "(?:above|before (?:this|my)|prior to|so far|until now|up to (?:here|now)|preceding)\\b"),
            folded("what_were_you_told", Category.EXFILTRATION, 0.7,
                    "\\b(?:what|which) (?:were|are|was) (?:you|your) (?:told|instructed|programmed|given|asked|prompted)"
                            + "(?: to (?:do|say|follow))?(?: (?:before|initially|at the (?:start|beginning)|by (?:your|the) (?:developers?|creators?|system)))\\b"
                            + "|\\bhow (?:were|are) you (?:programmed|instructed|prompted|configured) to\\b"),
            folded("what_were_you_given", Category.EXFILTRATION, 0.75,
                    "\\b(?:what|which) (?:text|instructions|prompt|prompts|rules|message|messages|directives|guidelines) (?:were|was|did|have|has) "
                            + "(?:you|your [\\p{L}]+|they|the developers?) (?:given|told|receive|received|get|got|give you|provided|been given|fed)"),
            folded("paste_what_came_before", Category.EXFILTRATION, 0.5,
                    "\\b(?:before|above|prior to|preceding) (?:my|this|the user's) (?:message|question|request|input)\\b"),
            folded("starts_with_you_are", Category.EXFILTRATION, 0.6,
                    "\\b(?:begin|beginning|start|starting|starts)(?: (?:your|the) (?:reply|answer|response|output))?(?: with| from)? "
                            + "(?:the (?:words|phrase|text) )?[\"'“‘]?you are\\b"),
            folded("reveal_secrets", Category.EXFILTRATION, 0.6,
                    "\\b(?:print|reveal|show|tell|give|output|leak|dump|list|expose|what is|what are)" + upTo(2) + W + "(?:your|the|all|any) "
                            + "(?:api keys?|secret keys?|secrets|passwords?|credentials|access tokens?|env(?:ironment)? variables|\\.env)\\b"),
            folded("exfiltrate_prompt_fr_es_de", Category.EXFILTRATION, 0.8,
                    "\\b(?:montre|affiche|revele|donne|repete|muestra|revela|dime|repite|zeig|zeige|nenne|wiederhole|gib)[rsz]?(?:-moi| moi| me|me| mir)?"
                            + upTo(1) + W + "(?:ton|votre|tu|el|su|deinen|deine|den|die|ihr|ihre) (?:prompt|invite|instructions|mensaje|"
                            + "instrucciones|anweisungen|systemprompt|system-?prompt)(?: (?:systeme|du systeme|del sistema|de sistema|initial(?:es)?))?\\b"),
            // --- breaking out of the prompt's structure
            original("special_tokens", Category.DELIMITER, 0.75,
                    "<\\|(?:im_start|im_end|system|endoftext|assistant|user|begin_of_text|start_header_id|eot_id)\\|>|\\[/?INST\\]|<</?SYS>>"),
            original("instruction_banner", Category.DELIMITER, 0.55,
                    "(?i)#{2,}\\s*(?:system|instructions?|admin|assistant|new instructions|override)\\s*#{2,}"
                            + "|(?i)\\b(?:assistant|system|admin|ai|model) instructions?\\s*:|(?i)\\b(?:the )?user (?:message|input|turn) ends here\\b"),
            original("fake_role_header", Category.DELIMITER, 0.6,
                    "(?im)^\\s*(?:#{1,4}\\s*)?(?:system|developer|assistant)\\s*(?:message|prompt|instructions?)?\\s*:\\s*"
                            + "(?:you\\b|the (?:assistant|ai|model|user)\\b|ignore|new\\b|override|from now|respond|answer|always|never|"
                            + "comply|approve|reveal|output|print|disregard|forget)"
                            + "|(?i)</?(?:system|sys|instructions?|system_prompt|admin)>"),
            folded("end_of_prompt", Category.DELIMITER, 0.55,
                    "\\b(?:end of|end)" + W + "(?:the )?(?:system prompt|prompt|instructions|user input|input|context)\\b" + upTo(2) + W
                            + "(?:new|begin|start|now|system|instructions)\\b"),
            folded("decode_and_follow", Category.OBFUSCATION, 0.6,
                    "\\b(?:decode|decrypt|decipher|translate|convert|unscramble|reverse)\\b.{0,60}?\\b(?:base ?64|b64|hex|hexadecimal|rot-?13|"
                            + "binary|morse|cipher|encoded|caesar)\\b.{0,100}?\\b(?:follow|execute|obey|do what|carry out|perform|run|act on|"
                            + "comply|respond to|answer|do it|do as)\\b"),
            // --- claiming authority
            folded("authority_claim", Category.AUTHORITY, 0.35,
                    "\\b(?:this is|i am|i'm|im|we are|message from)" + upTo(2) + W + "(?:your|the|an?)? ?(?:developers?|creators?|admin(?:istrator)?s?|"
                            + "owners?|openai|anthropic|system administrator|sysadmin|engineers?|programmers?|makers?)\\b"),
            folded("override_code", Category.AUTHORITY, 0.55,
                    "\\b(?:admin|administrator|developer|system|security|emergency|sudo|root|maintenance|debug) (?:override|access granted|"
                            + "authorization|command|privileges? granted)\\b|\\bauthori[sz]ed (?:override|bypass|red ?team)\\b"
                            + "|\\b(?:override|auth(?:orization)?) code\\b|\\bsudo mode\\b"),
            // --- data exfiltration through rendered output
            original("markdown_image_exfil", Category.EXFIL_CHANNEL, 0.6,
                    "!\\[[^\\]]{0,200}\\]\\(\\s*https?://[^)\\s]{1,500}[?&][^)\\s=]{1,50}=[^)\\s]{0,500}(?:\\{|%7B|\\$|<)"));

    private InjectionRules() {
    }

    private static Rule folded(String name, Category c, double weight, String regex) {
        return new Rule(name, c, weight, Pattern.compile(regex), false, LiteralGate.of(regex));
    }

    private static Rule original(String name, Category c, double weight, String regex) {
        return new Rule(name, c, weight, Pattern.compile(regex), true, null);
    }
}
