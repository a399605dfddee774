package dev.pprof4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import dev.pprof4j.testing.GoPprof;
import dev.pprof4j.testing.HttpTestClient;
import dev.pprof4j.testing.JdkHttpServer;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class AccessPolicyTest {

    @Test
    void rangesMatchIpv4AndIpv6ByPrefix() {
        AddressRange ten = AddressRange.parse("10.0.0.0/8");
        assertThat(ten.contains("10.255.1.2")).isTrue();
        assertThat(ten.contains("11.0.0.1")).isFalse();
        assertThat(ten.contains("::ffff:10.1.1.1")).as("IPv4-mapped").isTrue();
        assertThat(AddressRange.parse("192.168.4.0/22").contains("192.168.7.255")).isTrue();
        assertThat(AddressRange.parse("192.168.4.0/22").contains("192.168.8.0")).isFalse();
        AddressRange unique = AddressRange.parse("fd00::/8");
        assertThat(unique.contains("fd12:3456::1")).isTrue();
        assertThat(unique.contains("[fd12::1]")).isTrue();
        assertThat(unique.contains("fe80::1%eth0")).isFalse();
        assertThat(unique.contains("10.0.0.1")).isFalse();
        assertThat(AddressRange.parse("2001:db8::7").contains("2001:db8:0:0:0:0:0:7")).isTrue();
        assertThat(ten.contains("not-an-address")).isFalse();
        assertThat(ten.contains(null)).isFalse();
    }

    @Test
    void onlyLiteralsAreAccepted() {
        for (String bad : List.of("localhost", "example.com/8", "10.0.0.0/33", "::1/129", "300.1.1.1", "10.0.0.0/x", "")) {
            assertThatThrownBy(() -> AddressRange.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> PprofOptions.builder().allowedAddresses("intranet")).isInstanceOf(
                IllegalArgumentException.class);
    }

    @Test
    void onlyTheMachinesOwnLoopbackClientIsLocal() {
        AccessPolicy defaults = new AccessPolicy(List.of(), List.of());
        for (String local : List.of("127.0.0.1", "::1", "0:0:0:0:0:0:0:1", "[::1]", "::ffff:127.0.0.1",
                "0:0:0:0:0:ffff:7f00:1", "::127.0.0.1", "::1%lo")) {
            assertThat(defaults.judge(from(local)).allowed()).as(local).isTrue();
        }
        // 127.0.0.6 is where an Istio sidecar relays the mesh's requests from.
        for (String other : List.of("127.0.0.6", "127.9.9.9", "127.0.0.2", "127.255.255.254", "::ffff:127.0.0.6",
                "::2", "10.1.2.3", "0.0.0.0", "::")) {
            assertRefused(defaults, from(other), "this one came from ");
        }
        assertRefused(defaults, from("127.0.0.6"), "came from 127.0.0.6, which is not allowed");
        assertRefused(defaults, from(null), "did not report");
        assertRefused(defaults, from("localhost"), "did not report");
    }

    @Test
    void anyForwardingHeaderFromAnUntrustedPeerMakesARequestNotLocal() {
        AccessPolicy defaults = new AccessPolicy(List.of(), List.of());
        List<String> headers = new java.util.ArrayList<>(ForwardingHeaders.ADDRESSING);
        headers.addAll(ForwardingHeaders.MARKING);
        for (String header : headers) {
            for (String value : List.of("203.0.113.9", "127.0.0.1", "for=127.0.0.1", "", "unknown")) {
                assertRefused(defaults, from("127.0.0.1", header + ": " + value),
                        "came from 127.0.0.1 with " + header + ", which proxies add, and 127.0.0.1 is not a trusted"
                                + " proxy: a relayed request is not local");
            }
        }
        assertThat(defaults.judge(from("127.0.0.1", "X-Request-Id: 42", "User-Agent: curl")).allowed())
                .as("headers that are not about forwarding").isTrue();
    }

    @Test
    void fromAnUntrustedPeerEveryAddressTheHeadersNameMustBeAllowed() {
        AccessPolicy office = new AccessPolicy(List.of("10.0.0.0/8"), List.of("192.0.2.10"));
        assertThat(office.judge(from("10.1.2.3")).allowed()).isTrue();
        assertRefused(office, from("192.0.2.1"), "came from 192.0.2.1, which is not allowed");
        assertThat(office.judge(from("10.1.2.3", "Via: 1.1 squid")).allowed()).isTrue();
        assertThat(office.judge(from("10.1.2.3", "X-Forwarded-For: 10.9.9.9, 192.0.2.10")).allowed())
                .as("allowed hops and trusted proxies").isTrue();
        assertRefused(office, from("10.1.2.3", "X-Forwarded-For: 203.0.113.9"),
                "X-Forwarded-For names 203.0.113.9, which is not");
        assertRefused(office, from("10.1.2.3", "Forwarded: for=unknown"), "not an IP address");
        assertRefused(office, from("127.0.0.1", "X-Real-IP: 10.1.1.1"), "127.0.0.1 is not allowed");
        // A container that took the left-most, forged, entry for the peer (Jetty's ForwardedRequestCustomizer
        // does): the header it read is still there and names the real client.
        assertRefused(office, from("10.1.1.1", "X-Forwarded-For: 10.1.1.1, 198.51.100.7"), "names 198.51.100.7");
        assertThat(new AccessPolicy(List.of("any"), List.of()).judge(
                from("192.0.2.1", "X-Forwarded-For: unknown")).allowed()).isTrue();
    }

    @Test
    void behindATrustedProxyTheFirstUntrustedHopFromTheProxyBackIsTheClient() {
        AccessPolicy nginx = new AccessPolicy(List.of(), List.of("127.0.0.1"));
        assertRefused(nginx, from("127.0.0.1", "X-Forwarded-For: 203.0.113.9"),
                "relayed by trusted proxy 127.0.0.1 for 203.0.113.9 (X-Forwarded-For), which is not allowed");
        // Every line counts, the proxy's own (the last) first.
        assertRefused(nginx, from("127.0.0.1", "X-Forwarded-For: 127.0.0.1", "X-Forwarded-For: 203.0.113.9"),
                "for 203.0.113.9 (X-Forwarded-For)");
        // What a trusted proxy relays is never local, whatever it says, nor is what it sends without naming a client.
        assertRefused(nginx, from("127.0.0.1", "X-Forwarded-For: 127.0.0.1"), "for 127.0.0.1 (X-Forwarded-For)");
        assertRefused(nginx, from("127.0.0.1"), "trusted proxy, without a header naming its client");
        assertRefused(nginx, from("127.0.0.1", "Via: 1.1 nginx"), "without a header naming its client");
        assertRefused(nginx, from("127.0.0.1", "Forwarded: for=198.51.100.7"), "for 198.51.100.7 (Forwarded)");
        assertRefused(nginx, from("127.0.0.1", "X-Real-IP: 198.51.100.7"), "for 198.51.100.7 (X-Real-IP)");

        AccessPolicy opened = new AccessPolicy(List.of("203.0.113.0/24", "2001:db8::/32"),
                List.of("127.0.0.1", "192.0.2.0/28"));
        for (String[] allowed : new String[][] {
                {"X-Forwarded-For: 203.0.113.9"},
                {"X-Forwarded-For: 198.51.100.7, 203.0.113.9"}, // a forged entry on the left is not read
                {"X-Forwarded-For: 203.0.113.9, 192.0.2.3"}, // trusted hops are passed
                {"X-Forwarded-For: unknown, 203.0.113.9"},
                {"X-Forwarded-For: 198.51.100.7", "X-Forwarded-For: 203.0.113.9"},
                {"X-Forwarded-For: 203.0.113.9:8080"},
                {"X-Forwarded-For: [2001:db8::9]:8080"},
                {"X-Forwarded-For: 2001:db8::9"},
                {"Forwarded: for=203.0.113.9"},
                {"Forwarded: For=\"203.0.113.9:4711\";proto=https;by=192.0.2.3"},
                {"Forwarded: for=\"[2001:db8:cafe::17]:4711\""},
                {"Forwarded: for=198.51.100.7, for=203.0.113.9;proto=http"},
                {"Forwarded: for=\"198.51.100.7, for=\\\"x\";host=a", "Forwarded: for=203.0.113.9"},
                {"Forwarded: for=_hidden", "Forwarded: for=203.0.113.9, for=192.0.2.5"},
                {"X-Real-IP: 203.0.113.9"},
                {"X-Real-IP: 203.0.113.9", "X-Forwarded-For: 203.0.113.9", "Via: 1.1 nginx"},
                {"X-Envoy-External-Address: 203.0.113.9"},
                {"True-Client-IP: 203.0.113.9"},
                {"CF-Connecting-IP: 203.0.113.9"},
        }) {
            assertThat(opened.judge(from("127.0.0.1", allowed)).allowed()).as(String.join(" | ", allowed)).isTrue();
        }
        for (String[] refused : new String[][] {
                {"X-Forwarded-For: 203.0.113.9, 198.51.100.7"},
                {"X-Forwarded-For: 203.0.113.9", "X-Forwarded-For: 198.51.100.7"},
                {"X-Forwarded-For: 203.0.113.9", "X-Real-IP: 198.51.100.7"}, // a header the proxy left alone
                {"X-Real-IP: 203.0.113.9", "Forwarded: for=198.51.100.7"},
                {"Forwarded: for=\"[2001:db9::1]\""},
                {"X-Forwarded-For: 192.0.2.4, 192.0.2.3"}, // only proxies: the oldest is judged, and not allowed
        }) {
            assertRefused(opened, from("127.0.0.1", refused), "which is not allowed");
        }
        for (String[] hidden : new String[][] {
                {"X-Forwarded-For: 203.0.113.9, unknown"},
                {"X-Forwarded-For: example.com"},
                {"X-Forwarded-For: "},
                {"X-Forwarded-For: 203.0.113.9:http"},
                {"Forwarded: for=unknown"},
                {"Forwarded: for=_hidden"},
                {"Forwarded: for=\"_hidden:_port\""},
                {"Forwarded: proto=https"}, // a proxy that did not say whom it relayed for
                {"Forwarded: for=\"203.0.113.9"},
                {"Forwarded: for=203.0.113.9;for=203.0.113.10"},
                {"Forwarded: for=203.0.113.9 x"},
                {"Forwarded: for=[2001:db8::1"},
                {"Forwarded: for=203.0.113.9", "Forwarded: garbage"},
                {"X-Real-IP: 203.0.113.9", "X-Forwarded-For: unknown"},
        }) {
            assertRefused(opened, from("127.0.0.1", hidden), "that is not an IP address");
        }
        assertThat(opened.judge(from("192.0.2.10", "X-Forwarded-For: 198.51.100.7, 203.0.113.9, 192.0.2.11"))
                .allowed()).isTrue();
        assertRefused(opened, from("192.0.2.10"), "came from 192.0.2.10, a trusted proxy");
        assertThat(new AccessPolicy(List.of("192.0.2.10"), List.of("192.0.2.10")).judge(from("192.0.2.10")).allowed())
                .as("a trusted proxy that is allowed itself").isTrue();
    }

    @Test
    void theRefusalSaysHowToOpenUpAndEchoesNoClientText() {
        AccessPolicy.Decision refused = new AccessPolicy(List.of(), List.of("127.0.0.1")).judge(
                from("127.0.0.1", "X-Forwarded-For: <script>, 0:0::0:0:1"));
        assertThat(refused.reason()).contains("for 0:0:0:0:0:0:0:1 (X-Forwarded-For)", "PprofOptions allowedAddresses",
                "pprof4j.allowed-addresses", "trustedProxies", "pprof4j.trusted-proxies", "Javalin",
                "docs/deployment.md").doesNotContain("<script>", "0:0::0:0:1");
    }

    @Test
    void overHttpFromDistinctLoopbackSources() throws Exception {
        try (PprofHandler handler = new PprofHandler(PprofOptions.defaults());
                JdkHttpServer server = new JdkHttpServer(handler)) {
            String index = server.origin() + "/debug/pprof/";
            assertThat(HttpTestClient.getFrom("127.0.0.1", index).status()).isEqualTo(200);
            for (String source : List.of("127.0.0.6", "127.9.9.9")) {
                HttpTestClient.Reply refused = HttpTestClient.getFrom(source, index);
                assertThat(refused.status()).as(source).isEqualTo(403);
                assertThat(refused.text()).contains("came from " + source + ", which is not allowed");
                assertThat(refused.header("X-Go-Pprof")).isEqualTo("1");
            }
            HttpTestClient.Reply forwarded = HttpTestClient.getFrom("127.0.0.1", index, "X-Forwarded-For: 203.0.113.9");
            assertThat(forwarded.status()).isEqualTo(403);
            assertThat(forwarded.text()).contains("with X-Forwarded-For", "127.0.0.1 is not a trusted proxy");
            GoPprof.Run top = GoPprof.run("-top", server.origin() + "/debug/pprof/goroutine");
            assertThat(top.exitCode()).as(top.stderr()).isZero();
        }
        PprofOptions behindProxy = PprofOptions.builder().trustedProxies("127.0.0.1").build();
        try (PprofHandler handler = new PprofHandler(behindProxy); JdkHttpServer server = new JdkHttpServer(handler)) {
            String index = server.origin() + "/debug/pprof/";
            for (String[] judgedBy203 : new String[][] {
                    {"X-Forwarded-For: 203.0.113.9"},
                    {"X-Forwarded-For: 127.0.0.1", "X-Forwarded-For: 203.0.113.9"},
            }) {
                HttpTestClient.Reply refused = HttpTestClient.getFrom("127.0.0.1", index, judgedBy203);
                assertThat(refused.status()).isEqualTo(403);
                assertThat(refused.text()).contains("relayed by trusted proxy 127.0.0.1 for 203.0.113.9");
            }
            assertThat(HttpTestClient.getFrom("127.0.0.1", index, "Forwarded: for=\"203.0.113.7:1234\"").text())
                    .contains("for 203.0.113.7 (Forwarded)");
            assertThat(HttpTestClient.getFrom("127.0.0.1", index, "X-Real-IP: 203.0.113.8").text())
                    .contains("for 203.0.113.8 (X-Real-IP)");
        }
        PprofOptions opened = PprofOptions.builder().trustedProxies("127.0.0.1").allowedAddresses("203.0.113.9")
                .build();
        try (PprofHandler handler = new PprofHandler(opened); JdkHttpServer server = new JdkHttpServer(handler)) {
            String threads = server.origin() + "/debug/pprof/goroutine?debug=1";
            assertThat(HttpTestClient.getFrom("127.0.0.1", threads, "X-Forwarded-For: 203.0.113.9").status())
                    .isEqualTo(200);
            assertThat(HttpTestClient.getFrom("127.0.0.1", threads, "X-Forwarded-For: 127.0.0.1",
                    "X-Forwarded-For: 203.0.113.9").status()).isEqualTo(200);
            assertThat(HttpTestClient.getFrom("127.0.0.1", threads, "Forwarded: for=203.0.113.9").status())
                    .isEqualTo(200);
            assertThat(HttpTestClient.getFrom("127.0.0.1", threads, "X-Real-IP: 203.0.113.9").status()).isEqualTo(200);
            assertThat(HttpTestClient.getFrom("127.0.0.1", threads, "X-Forwarded-For: 203.0.113.10").status())
                    .isEqualTo(403);
            assertThat(HttpTestClient.getFrom("127.0.0.1", threads).status()).as("no client named").isEqualTo(403);
            assertThat(HttpTestClient.getFrom("127.0.0.6", threads, "X-Forwarded-For: 203.0.113.9").status())
                    .as("an untrusted peer").isEqualTo(403);
        }
    }

    private static void assertRefused(AccessPolicy policy, PprofExchange exchange, String why) {
        AccessPolicy.Decision decision = policy.judge(exchange);
        assertThat(decision.allowed()).as(why).isFalse();
        assertThat(decision.reason()).contains(why, "PprofOptions allowedAddresses");
    }

    /** A request from {@code peer} with header lines such as {@code "X-Forwarded-For: 203.0.113.9"}, in order. */
    private static PprofExchange from(String peer, String... headerLines) {
        PprofExchange exchange = mock(PprofExchange.class);
        when(exchange.remoteAddress()).thenReturn(peer);
        when(exchange.requestHeaders(anyString())).thenAnswer(call -> Arrays.stream(headerLines)
                .filter(line -> line.substring(0, line.indexOf(':')).equalsIgnoreCase(call.getArgument(0)))
                .map(line -> line.substring(line.indexOf(':') + 1).trim())
                .toList());
        return exchange;
    }
}
