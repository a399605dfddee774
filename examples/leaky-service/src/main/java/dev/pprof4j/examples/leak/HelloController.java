package dev.pprof4j.examples.leak;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** The service's one endpoint. */
@RestController
class HelloController {

    @GetMapping("/")
    String ok() {
        return "OK";
    }
}
