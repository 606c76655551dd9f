package io.modax.fleet.example.host;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * A MODAX service serving the fleet endpoints: the starter does the rest from the application's
 * {@code DataSource} ({@code spring.datasource.*}) and the {@link ApiKeyCallers} resolver bean.
 */
@SpringBootApplication
public class HostApplication {

  /** Starts the service. */
  public static void main(String[] args) {
    SpringApplication.run(HostApplication.class, args);
  }
}
