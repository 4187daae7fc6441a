package dev.switchboard.engine.internal.policy;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * E-mail addresses: the common RFC 5322 dot-atom form with Unicode letters (internationalised
 * addresses), and the bracketed obfuscations people type to dodge scrapers
 * ({@code jane [at] example [dot] com}). Hard negatives handled: {@code @handles}, {@code pkg@1.2.3},
 * {@code user@localhost}, {@code logo@2x.png} (a file extension is not a top-level domain).
 */
final class EmailFinder implements PiiFinder {

    private static final String LOCAL = "[\\p{L}\\p{N}_%+\\-]+(?:['.][\\p{L}\\p{N}_%+\\-]+)*";
    private static final String LABEL = "[\\p{L}\\p{N}](?:[\\p{L}\\p{N}\\-]{0,61}[\\p{L}\\p{N}])?";
    private static final Pattern PLAIN = Pattern.compile(
            "(?<![\\p{L}\\p{N}_%+\\-.])" + LOCAL + "@((?:" + LABEL + "\\.)+(\\p{L}{2,63}))(?![\\p{L}\\p{N}\\-@]|\\.[\\p{L}\\p{N}])");
    /** {@code git@github.com:org/repo.git}: an SSH remote (user@host:path), not a mailbox. */
    private static final Pattern SCP_PATH = Pattern.compile(":[\\w.~-]+/");
    private static final String AT = "\\s*[\\[({<]\\s*(?:at|@)\\s*[\\])}>]\\s*";
    private static final String DOT = "(?:\\s*[\\[({<]\\s*(?:dot|\\.)\\s*[\\])}>]\\s*|\\.)";
    private static final Pattern BRACKETED_AT = Pattern.compile("[\\[({<]\\s*(?:at|@)\\s*[\\])}>]",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern OBFUSCATED = Pattern.compile(
            "(?<![\\p{L}\\p{N}_%+\\-.])" + LOCAL + "(?:" + AT + ")(?:" + LABEL + DOT + ")+(\\p{L}{2,63})\\b",
            Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);

    /** File extensions that are not top-level domains, seen after '@' in asset names and paths. */
    private static final Set<String> NOT_TLDS = Set.of("png", "jpg", "jpeg", "gif", "svg", "webp", "bmp", "ico", "tif",
            "tiff", "pdf", "js", "mjs", "cjs", "jsx", "tsx", "css", "scss", "less", "html", "htm", "json", "xml", "yaml",
            "yml", "txt", "java", "kt", "php", "cpp", "hpp", "exe", "dll", "jar", "lock", "log", "tmp", "bak", "wasm",
            "heic", "avif", "mp3", "mp4", "wav", "csv", "xlsx", "docx");

    @Override
    public PiiType type() {
        return PiiType.EMAIL;
    }

    @Override
    public void find(String text, List<Finding> out) {
        if (text.indexOf('@') >= 0) {
            Matcher m = PLAIN.matcher(text);
            while (m.find()) {
                if (!NOT_TLDS.contains(m.group(2).toLowerCase(Locale.ROOT))
                        && !SCP_PATH.matcher(text).region(m.end(), text.length()).lookingAt()) {
                    out.add(Finding.span(PiiType.EMAIL.wireName(), m.start(), m.end()));
                }
            }
        }
        if (!BRACKETED_AT.matcher(text).find()) {
            return;
        }
        Matcher o = OBFUSCATED.matcher(text);
        while (o.find()) {
            if (!NOT_TLDS.contains(o.group(1).toLowerCase(Locale.ROOT))
                    && out.stream().noneMatch(f -> f.start() < o.end() && o.start() < f.end())) {
                out.add(Finding.span(PiiType.EMAIL.wireName(), o.start(), o.end()));
            }
        }
    }
}
