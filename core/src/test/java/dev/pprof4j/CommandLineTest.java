package dev.pprof4j;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class CommandLineTest {

    @Test
    void redactsValuesOfSecretLookingArguments() {
        assertThat(Redaction.arguments(List.of(
                "/usr/bin/java",
                "-Xmx512m",
                "-Ddb.password=hunter2",
                "-Djavax.net.ssl.keyStorePassword=changeit",
                "-Djavax.net.ssl.keyStore=/etc/ks.p12",
                "-Daws.secretKey=abc",
                "-DAPI_KEY=k",
                "-Dapp.api-key=k",
                "-jar", "app.jar",
                "--spring.datasource.url=jdbc:postgresql://app:s3cret@db:5432/app",
                "--auth-token", "t0k3n",
                "--password", "-startsWithADash",
                "--credentials-file=/run/creds",
                "-Ddb.pass=x",
                "--db=jdbc:mysql://h/db?user=u&password=x&ssl=true",
                "-Dspring.application.json={\"db\":{\"password\":\"x\",\"host\":\"h\"}}",
                "-Dfoo.password",
                "com.example.Main",
                "--name=value")))
                .containsExactly(
                        "/usr/bin/java",
                        "-Xmx512m",
                        "-Ddb.password=******",
                        "-Djavax.net.ssl.keyStorePassword=******",
                        "-Djavax.net.ssl.keyStore=/etc/ks.p12",
                        "-Daws.secretKey=******",
                        "-DAPI_KEY=******",
                        "-Dapp.api-key=******",
                        "-jar", "app.jar",
                        "--spring.datasource.url=jdbc:postgresql://app:******@db:5432/app",
                        "--auth-token", "******",
                        "--password", "******",
                        "--credentials-file=******",
                        "-Ddb.pass=******",
                        "--db=jdbc:mysql://h/db?user=u&password=******&ssl=true",
                        "-Dspring.application.json={\"db\":{\"password\":\"******\",\"host\":\"h\"}}",
                        "-Dfoo.password",
                        "com.example.Main",
                        "--name=value");
    }

    @Test
    void currentCommandLineStartsWithTheJavaLauncher() {
        List<String> argv = CommandLine.current();
        assertThat(argv.get(0)).endsWith("java");
        assertThat(argv).hasSizeGreaterThan(1);
    }
}
