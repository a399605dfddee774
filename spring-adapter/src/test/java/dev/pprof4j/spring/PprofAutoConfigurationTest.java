package dev.pprof4j.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import dev.pprof4j.PprofExchange;
import dev.pprof4j.PprofHandler;
import com.jayway.jsonpath.JsonPath;
import dev.pprof4j.PprofOptions;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.convert.ApplicationConversionService;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.core.convert.ConversionService;

/** What the auto-configuration registers, and what the application's settings and beans change. */
@ExtendWith(OutputCaptureExtension.class)
class PprofAutoConfigurationTest {

    private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(PprofAutoConfiguration.class));

    @Test
    void registersTheHandlerAndItsAsyncServletAtDebugPprof() {
        runner.run(context -> {
            assertThat(context).hasSingleBean(PprofHandler.class);
            ServletRegistrationBean<?> registration = context.getBean(PprofAutoConfiguration.REGISTRATION_BEAN,
                    ServletRegistrationBean.class);
            assertThat(registration.getUrlMappings()).containsExactly("/debug/pprof/*");
            assertThat(registration.isAsyncSupported()).isTrue();
        });
    }

    @Test
    void routeLabelsAreOnUnlessTurnedOffAndNeedSpringMvc() {
        runner.run(context -> assertThat(context).hasBean("pprofRouteLabels")
                .getBean(PprofProperties.class).extracting(p -> p.toOptions().routeLabels()).isEqualTo(true));
        runner.withPropertyValues("pprof4j.route-labels=false").run(context -> {
            assertThat(context).doesNotHaveBean("pprofRouteLabels").hasSingleBean(PprofHandler.class);
            assertThat(context.getBean(PprofProperties.class).toOptions().routeLabels()).isFalse();
        });
        runner.withClassLoader(new FilteredClassLoader("org.springframework.web.servlet.config"))
                .run(context -> assertThat(context).doesNotHaveBean("pprofRouteLabels")
                        .hasSingleBean(PprofHandler.class));
    }

    @Test
    void propertiesSetThePathAndTheOptions() {
        runner.withPropertyValues("pprof4j.path=/admin/pprof/", "pprof4j.allowed-addresses=10.0.0.0/8,fd00::/8",
                "pprof4j.trusted-proxies=192.0.2.1", "pprof4j.stack-depth=128", "pprof4j.max-profile-duration=2m",
                "pprof4j.max-concurrent-profiles=2", "pprof4j.allocation-samples-per-second=500",
                "pprof4j.max-stacks=1000", "pprof4j.contention-threshold=20ms", "pprof4j.cpu-sampling-period=5ms",
                "pprof4j.samplers-off=live-objects,contention")
                .run(context -> {
                    assertThat(context.getBean(PprofAutoConfiguration.REGISTRATION_BEAN, ServletRegistrationBean.class)
                            .getUrlMappings()).containsExactly("/admin/pprof/*");
                    PprofOptions options = context.getBean(PprofProperties.class).toOptions();
                    assertThat(options.allowedAddresses()).containsExactly("10.0.0.0/8", "fd00::/8");
                    assertThat(options.trustedProxies()).containsExactly("192.0.2.1");
                    assertThat(options.stackDepth()).isEqualTo(128);
                    assertThat(options.maxProfileDuration()).hasMinutes(2);
                    assertThat(options.maxConcurrentProfiles()).isEqualTo(2);
                    assertThat(options.allocationSamplesPerSecond()).isEqualTo(500);
                    assertThat(options.maxStacks()).isEqualTo(1000);
                    assertThat(options.contentionThreshold()).hasMillis(20);
                    assertThat(options.cpuSamplingPeriod()).hasMillis(5);
                    assertThat(options.samplersOff()).containsExactlyInAnyOrder(PprofOptions.Sampler.LIVE_OBJECTS,
                            PprofOptions.Sampler.CONTENTION);
                });
    }

    @Test
    void unsetPropertiesKeepTheDefaults() {
        runner.run(context -> assertThat(context.getBean(PprofProperties.class).toOptions())
                .usingRecursiveComparison().isEqualTo(PprofOptions.defaults()));
    }

    @Test
    void emptyPropertiesKeepTheDefaults() {
        runner.withPropertyValues("pprof4j.stack-depth=", "pprof4j.max-profile-duration=",
                "pprof4j.max-concurrent-profiles=", "pprof4j.allocation-samples-per-second=", "pprof4j.max-stacks=",
                "pprof4j.contention-threshold=", "pprof4j.cpu-sampling-period=", "pprof4j.samplers-off=")
                .run(context -> assertThat(context.getBean(PprofProperties.class).toOptions())
                        .usingRecursiveComparison().isEqualTo(PprofOptions.defaults()));
    }

    @Test
    void disabledMeansNothingAtAll() {
        runner.withPropertyValues("pprof4j.enabled=false").run(context -> {
            assertThat(context).doesNotHaveBean(PprofHandler.class);
            assertThat(context).doesNotHaveBean(PprofAutoConfiguration.REGISTRATION_BEAN);
        });
    }

    @Test
    void onTheManagementServerTheApplicationsServerServesNothing(CapturedOutput output) {
        runner.withPropertyValues("pprof4j.server=management").run(context -> {
            assertThat(context).hasSingleBean(PprofHandler.class);
            assertThat(context).doesNotHaveBean(PprofAutoConfiguration.REGISTRATION_BEAN);
        });
        assertThat(output).doesNotContain("Spring Boot Actuator is not on the classpath");
    }

    @Test
    void onTheManagementServerWithoutActuatorAWarningSaysSo(CapturedOutput output) {
        runner.withPropertyValues("pprof4j.server=management")
                .withClassLoader(new FilteredClassLoader("org.springframework.boot.actuate"))
                .run(context -> assertThat(context).hasSingleBean(PprofHandler.class));
        assertThat(output).contains("pprof4j.server=management, but Spring Boot Actuator is not on the classpath");
    }

    @Test
    void onADisabledManagementServerAWarningSaysSo(CapturedOutput output) {
        runner.withPropertyValues("pprof4j.server=management", "management.server.port=-1")
                .run(context -> assertThat(context).hasSingleBean(PprofHandler.class));
        assertThat(output).contains("management.server.port=-1 switches the management server off");
    }

    @Test
    void aPathThatIsNotBelowTheRootIsRefused() {
        for (String path : new String[] {"", "/", "debug/pprof"}) {
            runner.withPropertyValues("pprof4j.path=" + path).run(context -> assertThat(context)
                    .getFailure().rootCause().hasMessageContaining("pprof4j.path must start with /"));
        }
    }

    @Test
    void theApplicationsOwnBeansReplaceOurs() {
        PprofHandler own = new PprofHandler();
        ServletRegistrationBean<?> ownRegistration = new ServletRegistrationBean<>();
        runner.withBean(PprofHandler.class, () -> own)
                .withBean(PprofAutoConfiguration.REGISTRATION_BEAN, ServletRegistrationBean.class, () -> ownRegistration)
                .run(context -> {
                    assertThat(context.getBean(PprofHandler.class)).isSameAs(own);
                    assertThat(context.getBean(PprofAutoConfiguration.REGISTRATION_BEAN)).isSameAs(ownRegistration);
                });
        own.close();
    }

    @Test
    void theHandlerStopsWithTheContext() throws Exception {
        PprofHandler[] handler = new PprofHandler[1];
        runner.run(context -> {
            handler[0] = context.getBean(PprofHandler.class);
            assertThat(heapStatus(handler[0])).isEqualTo(200);
        });
        // Closed with the context: its sampling has ended, so its sampled profiles say so.
        assertThat(heapStatus(handler[0])).isEqualTo(503);
    }

    @Test
    void configurationMetadataDocumentsEveryProperty() throws Exception {
        try (InputStream metadata = getClass().getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
            assertThat(metadata).isNotNull();
            String json = new String(metadata.readAllBytes(), StandardCharsets.UTF_8);
            for (String property : new String[] {"enabled", "path", "allowed-addresses", "trusted-proxies",
                    "stack-depth", "max-profile-duration", "max-concurrent-profiles", "allocation-samples-per-second",
                    "max-stacks", "contention-threshold", "cpu-sampling-period", "server", "samplers-off"}) {
                assertThat(json).contains("\"name\": \"pprof4j." + property + "\"");
            }
            assertThat(json).contains("\"description\": \"Addresses and CIDR ranges");
        }
    }

    @Test
    void configurationMetadataCarriesPprofOptionsDefaults() throws Exception {
        PprofOptions defaults = PprofOptions.defaults();
        Map<String, Object> expected = Map.of("pprof4j.stack-depth", defaults.stackDepth(),
                "pprof4j.max-profile-duration", defaults.maxProfileDuration(),
                "pprof4j.max-concurrent-profiles", defaults.maxConcurrentProfiles(),
                "pprof4j.allocation-samples-per-second", defaults.allocationSamplesPerSecond(),
                "pprof4j.max-stacks", defaults.maxStacks(),
                "pprof4j.contention-threshold", defaults.contentionThreshold(),
                "pprof4j.cpu-sampling-period", defaults.cpuSamplingPeriod());
        Map<String, Object> declared = new HashMap<>();
        try (InputStream metadata = getClass().getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
            assertThat(metadata).isNotNull();
            List<Map<String, Object>> properties = JsonPath.parse(metadata).read("$.properties");
            properties.forEach(property -> declared.put((String) property.get("name"), property.get("defaultValue")));
        }
        // Converted as Spring binds a value, so "10m" is compared as the Duration it stands for.
        ConversionService conversion = ApplicationConversionService.getSharedInstance();
        expected.forEach((name, value) -> assertThat(conversion.convert(declared.get(name), value.getClass()))
                .as("defaultValue of %s", name).isEqualTo(value));
    }

    private static int heapStatus(PprofHandler handler) {
        PprofExchange exchange = mock(PprofExchange.class);
        when(exchange.method()).thenReturn("GET");
        when(exchange.remoteAddress()).thenReturn("127.0.0.1");
        when(exchange.pathInfo()).thenReturn("/heap");
        when(exchange.requestUrl()).thenReturn("http://127.0.0.1/debug/pprof/heap");
        try {
            when(exchange.responseBody()).thenReturn(new ByteArrayOutputStream());
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
        int[] status = new int[1];
        org.mockito.Mockito.doAnswer(call -> status[0] = call.getArgument(0)).when(exchange)
                .setStatus(org.mockito.ArgumentMatchers.anyInt());
        handler.handle(exchange);
        return status[0];
    }
}
