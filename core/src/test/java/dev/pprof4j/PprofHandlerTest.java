package dev.pprof4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** What the handler does when things go wrong: the application never sees an exception. */
class PprofHandlerTest {

    private final PprofHandler handler = new PprofHandler();

    @Test
    void aFailureInsidePprof4jIsA500AndTheNextRequestWorks() throws IOException {
        PprofExchange broken = exchange("/");
        when(broken.requestUrl()).thenThrow(new IllegalStateException("container exploded"));
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        when(broken.responseBody()).thenReturn(body);

        handler.handle(broken);

        verify(broken).setStatus(500);
        verify(broken).setHeader("X-Go-Pprof", "1");
        assertThat(body.toString(StandardCharsets.UTF_8)).startsWith("pprof4j failed to produce the profile: ")
                .contains("container exploded");

        PprofExchange next = exchange("/goroutine");
        when(next.responseBody()).thenReturn(new ByteArrayOutputStream());
        handler.handle(next);
        verify(next).setStatus(200);
    }

    @Test
    void aClientThatGoesAwayIsNoError() throws IOException {
        PprofExchange gone = exchange("/goroutine");
        when(gone.responseBody()).thenThrow(new IOException("Broken pipe"));
        handler.handle(gone);
        verify(gone).setStatus(200);
    }

    @Test
    void anAdapterThatThrowsWhileSendingDoesNotLeakIt() throws IOException {
        PprofExchange broken = exchange("/cmdline");
        doThrow(new IllegalStateException("committed")).when(broken).setStatus(anyInt());
        handler.handle(broken);
        verify(broken).setStatus(200);
    }

    @Test
    void customProfilesCannotTakeABuiltInName() {
        for (String name : new String[] {"goroutine", "cmdline", "symbol", "profile", "trace"}) {
            PprofOptions options = PprofOptions.builder().profile(new CustomProfile(name)).build();
            assertThatThrownBy(() -> new PprofHandler(options)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(name);
        }
    }

    @Test
    void customProfilesRejectDuplicateValues() {
        CustomProfile profile = new CustomProfile("example.com/files");
        Object file = new Object();
        profile.add(file);
        assertThatThrownBy(() -> profile.add(file)).isInstanceOf(IllegalArgumentException.class);
        profile.remove(file);
        assertThat(profile.count()).isZero();
        assertThatThrownBy(() -> new CustomProfile("/leading")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void symbolAddressesParseAsGoParsesThem() {
        assertThat(SymbolEndpoint.parseAddress("0x1f")).isEqualTo(31);
        assertThat(SymbolEndpoint.parseAddress("017")).isEqualTo(15);
        assertThat(SymbolEndpoint.parseAddress("42")).isEqualTo(42);
        assertThat(SymbolEndpoint.parseAddress("zzz")).isZero();
        assertThat(SymbolEndpoint.parseAddress("")).isZero();
    }

    private static PprofExchange exchange(String pathInfo) {
        PprofExchange exchange = mock(PprofExchange.class);
        when(exchange.method()).thenReturn("GET");
        when(exchange.pathInfo()).thenReturn(pathInfo);
        when(exchange.requestUrl()).thenReturn("http://127.0.0.1:1/debug/pprof" + pathInfo);
        return exchange;
    }
}
