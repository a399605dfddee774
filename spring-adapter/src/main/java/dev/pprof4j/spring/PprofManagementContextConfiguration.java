package dev.pprof4j.spring;

import dev.pprof4j.PprofHandler;
import dev.pprof4j.servlet.PprofServlet;
import org.springframework.boot.actuate.autoconfigure.web.ManagementContextConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;

/**
 * With {@code pprof4j.server=management}, the servlet of
 * {@link PprofAutoConfiguration} on Actuator's management server: its own
 * port when {@code management.server.port} sets one, below
 * {@code management.server.base-path}. The handler stays in the application's
 * context, so sampling still starts and stops with the application. Spring
 * Security guards the management server as it guards the application's.
 */
@ManagementContextConfiguration
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnProperty(prefix = "pprof4j", name = "server", havingValue = "management")
class PprofManagementContextConfiguration {

    @Bean(PprofAutoConfiguration.REGISTRATION_BEAN)
    @ConditionalOnMissingBean(name = PprofAutoConfiguration.REGISTRATION_BEAN)
    @ConditionalOnProperty(prefix = "pprof4j", name = "enabled", matchIfMissing = true)
    ServletRegistrationBean<PprofServlet> pprofServletRegistration(PprofHandler handler, PprofProperties properties) {
        return PprofAutoConfiguration.registration(handler, properties);
    }
}
