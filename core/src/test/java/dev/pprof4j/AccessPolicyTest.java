package dev.pprof4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import dev.pprof4j.testing.GoPprof;
import dev.pprof4j.testing.HttpTestClient;
import dev.pprof4j.testing.JdkHttpServer;
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
    void loopbackAlwaysOthersOnlyWhenAllowed() {
        AccessPolicy loopbackOnly = new AccessPolicy(List.of(), List.of());
        assertThat(loopbackOnly.allows(from("127.0.0.1", null))).isTrue();
        assertThat(loopbackOnly.allows(from("127.8.9.10", null))).isTrue();
        assertThat(loopbackOnly.allows(from("0:0:0:0:0:0:0:1", null))).isTrue();
        assertThat(loopbackOnly.allows(from("10.1.2.3", null))).isFalse();
        assertThat(loopbackOnly.allows(from(null, null))).isFalse();
        // A header is not believed from a proxy nobody named.
        assertThat(loopbackOnly.allows(from("10.1.2.3", "127.0.0.1"))).isFalse();

        AccessPolicy office = new AccessPolicy(List.of("10.0.0.0/8"), List.of());
        assertThat(office.allows(from("10.1.2.3", null))).isTrue();
        assertThat(office.allows(from("192.0.2.1", null))).isFalse();
        assertThat(new AccessPolicy(List.of("any"), List.of()).allows(from("192.0.2.1", null))).isTrue();
    }

    @Test
    void behindATrustedProxyTheFirstUntrustedHopIsTheClient() {
        AccessPolicy policy = new AccessPolicy(List.of("10.0.0.0/8"), List.of("192.0.2.10", "192.0.2.11"));
        assertThat(policy.client(from("192.0.2.10", "203.0.113.9, 10.1.1.1, 192.0.2.11"))).isEqualTo("10.1.1.1");
        assertThat(policy.allows(from("192.0.2.10", "203.0.113.9, 10.1.1.1"))).isTrue();
        // A forged entry on the left does not help a client the proxy saw as outside.
        assertThat(policy.allows(from("192.0.2.10", "10.1.1.1, 203.0.113.9"))).isFalse();
        assertThat(policy.client(from("192.0.2.10", null))).isEqualTo("192.0.2.10");
    }

    @Test
    void overHttpOthersGetA403ThatSaysHowToOpenUp() throws Exception {
        PprofOptions behindProxy = PprofOptions.builder().trustedProxies("127.0.0.1").build();
        try (PprofHandler handler = new PprofHandler(behindProxy); JdkHttpServer server = new JdkHttpServer(handler)) {
            String heap = server.origin() + "/debug/pprof/heap";
            HttpTestClient.Reply refused = HttpTestClient.getForwardedFor(heap, "203.0.113.5");
            assertThat(refused.status()).isEqualTo(403);
            assertThat(refused.text()).isEqualTo(AccessPolicy.DENIED + "\n").contains("pprof4j.allowed-addresses");
            assertThat(refused.header("X-Go-Pprof")).isEqualTo("1");
            assertThat(HttpTestClient.get(server.origin() + "/debug/pprof/").status()).isEqualTo(200);
            GoPprof.Run top = GoPprof.run("-top", heap);
            assertThat(top.exitCode()).isZero();
        }
        PprofOptions opened = PprofOptions.builder().trustedProxies("127.0.0.1").allowedAddresses("203.0.113.0/24")
                .build();
        try (PprofHandler handler = new PprofHandler(opened); JdkHttpServer server = new JdkHttpServer(handler)) {
            HttpTestClient.Reply allowed = HttpTestClient.getForwardedFor(server.origin() + "/debug/pprof/goroutine",
                    "203.0.113.5");
            assertThat(allowed.status()).isEqualTo(200);
        }
    }

    private static PprofExchange from(String address, String forwardedFor) {
        PprofExchange exchange = mock(PprofExchange.class);
        when(exchange.remoteAddress()).thenReturn(address);
        when(exchange.requestHeader("X-Forwarded-For")).thenReturn(forwardedFor);
        return exchange;
    }
}
