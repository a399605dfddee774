package dev.pprof4j;

import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.List;

/**
 * The {@code /debug/pprof/} page, byte for byte Go's layout (a table of
 * profiles with their counts, linked to {@code ?debug=1}, then their
 * descriptions), followed by how to read the profiles with
 * {@code go tool pprof} from this very server.
 */
final class IndexPage {

    /** A row of the index: a profile, or one of the special endpoints such as {@code cmdline}. */
    record Entry(String name, long count, String description) {
    }

    private IndexPage() {
    }

    /**
     * @param entries sorted by name
     * @param baseUrl the mount point's URL without its trailing slash, for the usage lines
     * @param usageProfiles profiles shown in the usage lines, in order; not empty
     */
    static String render(Collection<Entry> entries, String baseUrl, List<String> usageProfiles) {
        StringBuilder page = new StringBuilder();
        page.append("<html>\n<head>\n<title>/debug/pprof/</title>\n<style>\n.profile-name{\n"
                + "\tdisplay:inline-block;\n\twidth:6rem;\n}\n</style>\n</head>\n<body>\n"
                + "/debug/pprof/<br>\n<br>\nTypes of profiles available:\n<table>\n"
                + "<thead><td>Count</td><td>Profile</td></thead>\n");
        for (Entry entry : entries) {
            page.append("<tr><td>").append(entry.count()).append("</td><td><a href='")
                    .append(escape(pathEscape(entry.name()))).append("?debug=1'>").append(escape(entry.name()))
                    .append("</a></td></tr>\n");
        }
        page.append("</table>\n<a href=\"goroutine?debug=2\">full goroutine stack dump</a>\n<br>\n"
                + "<p>\nProfile Descriptions:\n<ul>\n");
        for (Entry entry : entries) {
            page.append("<li><div class=profile-name>").append(escape(entry.name())).append(": </div> ")
                    .append(escape(entry.description())).append("</li>\n");
        }
        page.append("</ul>\n</p>\n<p>\nHow to use: open <a href=\"ui/\">the viewer</a> in this browser (flame"
                + " graphs, top, the heap's growth; no Go needed), or read a profile with <code>go tool pprof</code>"
                + " (from a Go toolchain) or any pprof viewer:\n<pre>\n");
        for (String profile : usageProfiles) {
            page.append("go tool pprof ").append(escape(baseUrl + "/" + profile)).append('\n');
        }
        page.append("go tool pprof -http=: ").append(escape(baseUrl + "/" + usageProfiles.get(0)))
                .append("    # in the browser\n</pre>\n</p>\n</body>\n</html>");
        return page.toString();
    }

    /** A name as a relative URL path, as Go's {@code url.URL{Path: name}} writes it. */
    static String pathEscape(String name) {
        StringBuilder escaped = new StringBuilder();
        for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || "-._~/!$&'()*+,;=:@".indexOf(c) >= 0) {
                escaped.append(c);
            } else {
                escaped.append('%').append(String.format("%02X", b & 0xff));
            }
        }
        return escaped.toString();
    }

    /** HTML escaping of Go's {@code html.EscapeString}. */
    static String escape(String text) {
        StringBuilder escaped = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '<' -> escaped.append("&lt;");
                case '>' -> escaped.append("&gt;");
                case '&' -> escaped.append("&amp;");
                case '\'' -> escaped.append("&#39;");
                case '"' -> escaped.append("&#34;");
                default -> escaped.append(c);
            }
        }
        return escaped.toString();
    }
}
