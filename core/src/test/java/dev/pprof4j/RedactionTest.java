package dev.pprof4j;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every case of {@code redaction-corpus.tsv}, through the command-line rule and, where marked, the text rule. */
class RedactionTest {

    static final String CORPUS = "/redaction-corpus.tsv";

    /** One line of the corpus. */
    record Case(int line, String expectation, boolean asText, List<String> arguments) {

        List<String> gone() {
            return tokens('-');
        }

        List<String> kept() {
            return tokens('+');
        }

        boolean unchanged() {
            return expectation.equals("=");
        }

        /** {@code -X +Y} tokens; a token runs to the next one, so that {@code +Bearer ******} is one. */
        private List<String> tokens(char sign) {
            List<String> tokens = new ArrayList<>();
            for (String token : (" " + expectation).split(" (?=[-+])")) {
                if (!token.isEmpty() && token.charAt(0) == sign) {
                    tokens.add(token.substring(1));
                }
            }
            return tokens;
        }

        @Override
        public String toString() {
            return "line " + line + ": " + arguments;
        }
    }

    static List<Case> corpus() throws IOException {
        List<Case> cases = new ArrayList<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(
                Objects.requireNonNull(RedactionTest.class.getResourceAsStream(CORPUS)), StandardCharsets.UTF_8))) {
            int number = 0;
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                number++;
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] fields = line.split("\t");
                List<String> arguments = Arrays.stream(fields).skip(2).map(a -> a.replace("\\n", "\n")).toList();
                cases.add(new Case(number, fields[0], fields[1].equals("text"), arguments));
            }
        }
        return cases;
    }

    static Stream<Case> cases() throws IOException {
        return corpus().stream();
    }

    @ParameterizedTest
    @MethodSource("cases")
    void corpusCase(Case c) {
        List<String> argv = new ArrayList<>(c.arguments());
        boolean programFirst = c.asText() || argv.size() == 1;
        if (programFirst) {
            argv.add(0, "app");
        }
        List<String> redacted = Redaction.arguments(argv);
        if (programFirst) {
            redacted = redacted.subList(1, redacted.size());
        }
        check(c, String.join(" ", programFirst ? c.arguments() : argv), String.join(" ", redacted));
        if (c.asText()) {
            String text = String.join(" ", c.arguments());
            check(c, text, Redaction.text(text));
        }
    }

    private static void check(Case c, String input, String output) {
        if (c.unchanged()) {
            assertThat(output).as(c.toString()).isEqualTo(input);
            return;
        }
        assertThat(c.gone()).as("%s names what must be gone", c).isNotEmpty();
        for (String secret : c.gone()) {
            assertThat(input).as(c.toString()).contains(secret);
            assertThat(output).as(c.toString()).doesNotContain(secret);
        }
        for (String kept : c.kept()) {
            assertThat(output).as(c.toString()).contains(kept);
        }
    }

    @Test
    void corpusHasFortyShapesAtLeastAndCasesThatMustStay() throws IOException {
        List<Case> cases = corpus();
        assertThat(cases.stream().filter(c -> !c.unchanged())).hasSizeGreaterThanOrEqualTo(40);
        assertThat(cases.stream().filter(Case::unchanged)).hasSizeGreaterThanOrEqualTo(20);
    }

    @Test
    void aThreadNameKeepsItsShapeAndLosesItsSecret() {
        assertThat(Redaction.text("hikari jdbc:postgresql://app:hunter2@db/app housekeeper"))
                .isEqualTo("hikari jdbc:postgresql://app:******@db/app housekeeper");
    }
}
