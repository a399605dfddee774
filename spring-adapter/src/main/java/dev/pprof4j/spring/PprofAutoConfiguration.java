package dev.pprof4j.spring;

import dev.pprof4j.PprofHandler;
import dev.pprof4j.PprofSamplers;
import dev.pprof4j.servlet.PprofServlet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.env.Environment;
import org.springframework.core.io.ResourceLoader;
import org.springframework.util.ClassUtils;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Serves Go's {@code /debug/pprof/} endpoints in a servlet web application:
 * a {@link PprofHandler} that samples from startup (it adopts the samplers
 * {@link StartupSamplingListener} started before the context refreshed) and
 * stops with the context, and its servlet at {@code pprof4j.path} (async,
 * so long profiles hold no container thread). Requests pass through the application's
 * filters, Spring Security's included, like any other. A bean of your own
 * of either type replaces ours; {@code pprof4j.enabled=false} switches both
 * off. With {@code pprof4j.server=management} the servlet goes to Actuator's
 * management server instead ({@link PprofManagementContextConfiguration}).
 * Each Spring MVC request's work is labelled with its route pattern and
 * method ({@link RouteLabelsInterceptor}), so that
 * {@code go tool pprof -tagfocus=http.route=/orders/{id}} cuts CPU,
 * allocations and heap by endpoint; {@code pprof4j.route-labels=false}
 * turns that off.
 */
@AutoConfiguration
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass({PprofServlet.class, ServletRegistrationBean.class})
@ConditionalOnProperty(prefix = "pprof4j", name = "enabled", matchIfMissing = true)
@EnableConfigurationProperties(PprofProperties.class)
public class PprofAutoConfiguration {

    /** The registration's bean name, for an application that replaces it. */
    public static final String REGISTRATION_BEAN = "pprofServletRegistration";

    private static final String ACTUATOR = "org.springframework.boot.actuate.autoconfigure.web.ManagementContextConfiguration";

    private static final Logger log = LoggerFactory.getLogger(PprofAutoConfiguration.class);

    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    public PprofHandler pprofHandler(PprofProperties properties, ResourceLoader resources, Environment environment,
            ObjectProvider<PprofSamplers> startupSamplers) {
        if (properties.getServer() == PprofProperties.Server.MANAGEMENT) {
            if (!ClassUtils.isPresent(ACTUATOR, resources.getClassLoader())) {
                log.warn("pprof4j.server=management, but Spring Boot Actuator is not on the classpath: no server "
                        + "answers pprof4j's requests; add spring-boot-starter-actuator or set pprof4j.server=application");
            } else if ("-1".equals(environment.getProperty("management.server.port"))) {
                log.warn("pprof4j.server=management, but management.server.port=-1 switches the management server off:"
                        + " no server answers pprof4j's requests");
            }
        }
        return new PprofHandler(properties.toOptions(), startupSamplers.getIfUnique());
    }

    @Bean(REGISTRATION_BEAN)
    @ConditionalOnMissingBean(name = REGISTRATION_BEAN)
    @ConditionalOnProperty(prefix = "pprof4j", name = "server", havingValue = "application", matchIfMissing = true)
    public ServletRegistrationBean<PprofServlet> pprofServletRegistration(PprofHandler handler,
            PprofProperties properties) {
        return registration(handler, properties);
    }

    /**
     * Labels each Spring MVC request's work with its route and method, unless {@code pprof4j.route-labels=false}.
     */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(WebMvcConfigurer.class)
    @ConditionalOnProperty(prefix = "pprof4j", name = "route-labels", matchIfMissing = true)
    static class RouteLabelsConfiguration {

        @Bean
        WebMvcConfigurer pprofRouteLabels() {
            return new WebMvcConfigurer() {
                @Override
                public void addInterceptors(InterceptorRegistry registry) {
                    // First, so that the labels cover the application's own interceptors too.
                    registry.addInterceptor(new RouteLabelsInterceptor()).order(Ordered.HIGHEST_PRECEDENCE);
                }
            };
        }
    }

    /** The servlet at {@code pprof4j.path}, answering with {@code handler}, which it does not own. */
    static ServletRegistrationBean<PprofServlet> registration(PprofHandler handler, PprofProperties properties) {
        String path = properties.getPath().endsWith("/")
                ? properties.getPath().substring(0, properties.getPath().length() - 1) : properties.getPath();
        ServletRegistrationBean<PprofServlet> registration = new ServletRegistrationBean<>(new PprofServlet(handler),
                path + "/*");
        registration.setName("pprof4j");
        registration.setAsyncSupported(true);
        return registration;
    }
}
