package dev.pprof4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/**
 * The table of endpoints is built by a handler's first request, so its names are checked before: a custom
 * profile may take no built-in's name and share none, and the list the check uses is the table's.
 */
class EndpointsTest {

    @Test
    void theNamesCheckedBeforeTheTableIsBuiltAreTheTablesOwn() {
        try (Profiles profiles = new Profiles(PprofOptions.defaults(), null)) {
            assertThat(new Endpoints(PprofOptions.defaults(), profiles).names())
                    .containsExactlyInAnyOrderElementsOf(Endpoints.BUILT_IN);
        }
    }

    @Test
    void aCustomProfileThatTakesABuiltInsNameOrAnothersIsRefusedWhenTheHandlerIsMade() {
        for (String name : Endpoints.BUILT_IN) {
            if (!name.isEmpty()) {
                PprofOptions options = PprofOptions.builder().profile(new CustomProfile(name)).build();
                assertThatThrownBy(() -> new PprofHandler(options)).as(name)
                        .isInstanceOf(IllegalArgumentException.class)
                        .hasMessage("a profile named \"" + name + "\" already exists");
            }
        }
        PprofOptions twice = PprofOptions.builder().profile(new CustomProfile("open-files"))
                .profile(new CustomProfile("open-files")).build();
        assertThatThrownBy(() -> new PprofHandler(twice)).isInstanceOf(IllegalArgumentException.class);
        try (PprofHandler handler = new PprofHandler(PprofOptions.builder()
                .profile(new CustomProfile("open-files")).build())) {
            assertThat(handler).isNotNull();
        }
    }
}
