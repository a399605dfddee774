package dev.pprof4j.spring;

import dev.pprof4j.PprofSamplers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.boot.context.event.ApplicationFailedEvent;
import org.springframework.boot.context.event.ApplicationPreparedEvent;
import org.springframework.boot.context.event.ApplicationStartedEvent;
import org.springframework.boot.context.event.SpringApplicationEvent;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.ApplicationListener;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * Starts pprof4j's samplers as soon as the application's settings are read,
 * before its context refreshes, so that what the framework and the
 * application allocate while they start has live samples at its allocation
 * stacks. JFR starts on pprof4j's own thread, beside the context, which does
 * not wait for it; sampling begins a few hundred milliseconds later. The context gets them as the bean {@value #SAMPLERS_BEAN}, which
 * {@link PprofAutoConfiguration}'s handler adopts. Samplers no handler
 * adopted (pprof4j's handler replaced, the auto-configuration off) are
 * closed once the application has started, and when it fails to start.
 * Nothing starts where {@code pprof4j.enabled=false} or the application is
 * not a servlet web application.
 */
final class StartupSamplingListener implements ApplicationListener<SpringApplicationEvent> {

    static final String SAMPLERS_BEAN = "pprof4jStartupSamplers";

    private static final Logger log = LoggerFactory.getLogger(StartupSamplingListener.class);

    private PprofSamplers samplers;

    @Override
    public void onApplicationEvent(SpringApplicationEvent event) {
        if (event instanceof ApplicationEnvironmentPreparedEvent prepared) {
            samplers = start(prepared.getSpringApplication(), prepared.getEnvironment());
        } else if (event instanceof ApplicationPreparedEvent prepared && samplers != null) {
            prepared.getApplicationContext().getBeanFactory().registerSingleton(SAMPLERS_BEAN, samplers);
        } else if ((event instanceof ApplicationStartedEvent || event instanceof ApplicationFailedEvent)
                && samplers != null) {
            // Adopted samplers are the handler's, which closes them with the context.
            samplers.close();
            samplers = null;
        }
    }

    private static PprofSamplers start(SpringApplication application, ConfigurableEnvironment environment) {
        Binder binder = Binder.get(environment);
        PprofProperties properties;
        WebApplicationType type;
        try {
            properties = binder.bind("pprof4j", PprofProperties.class).orElseGet(PprofProperties::new);
            // spring.main.* is bound to the application only after this event.
            type = binder.bind("spring.main.web-application-type", WebApplicationType.class)
                    .orElse(application.getWebApplicationType());
        } catch (RuntimeException e) {
            // The context reports settings it cannot bind, better than this listener could.
            log.debug("pprof4j does not sample from startup: its settings could not be read", e);
            return null;
        }
        if (!properties.isEnabled() || type != WebApplicationType.SERVLET) {
            return null;
        }
        return PprofSamplers.start(properties.toOptions());
    }
}
