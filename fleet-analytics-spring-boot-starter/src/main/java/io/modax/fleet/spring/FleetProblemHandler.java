package io.modax.fleet.spring;

import io.modax.fleet.AccessDeniedException;
import io.modax.fleet.InvalidRequestException;
import io.modax.fleet.NotFoundException;
import io.modax.fleet.WarehouseException;
import io.modax.fleet.schema.SchemaException;
import java.net.URI;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;

/**
 * The fleet endpoints' errors as RFC 9457 problem details ({@code application/problem+json}):
 *
 * <ul>
 *   <li>401 no caller ({@link FleetCallerResolver} answered empty), with {@code WWW-Authenticate};
 *   <li>400 a bad argument: {@link InvalidRequestException}, a missing or malformed parameter;
 *   <li>403 another tenant's organization: {@link AccessDeniedException};
 *   <li>404 an unknown organization or location: {@link NotFoundException};
 *   <li>503 the database failed or its schema is not usable: {@link WarehouseException}, {@link
 *       SchemaException} (the detail does not carry the database's message; it is logged).
 * </ul>
 *
 * <p>Each problem's {@code type} is {@code urn:fleet-analytics:problem:<kind>}; {@code detail} is
 * the library's message, which names the value and the rule. Applies to {@link
 * FleetAnalyticsController} only.
 */
@RestControllerAdvice(assignableTypes = FleetAnalyticsController.class)
public class FleetProblemHandler {

  private static final Logger LOG = LoggerFactory.getLogger(FleetProblemHandler.class);

  private static ResponseEntity<ProblemDetail> problem(HttpStatus status, String kind, String title, String detail) {
    ProblemDetail p = ProblemDetail.forStatusAndDetail(status, detail);
    p.setType(URI.create("urn:fleet-analytics:problem:" + kind));
    p.setTitle(title);
    return ResponseEntity.status(status).body(p);
  }

  /** 401. */
  @ExceptionHandler(FleetAnalyticsController.CallerRequiredException.class)
  public ResponseEntity<ProblemDetail> unauthenticated(FleetAnalyticsController.CallerRequiredException e) {
    ResponseEntity<ProblemDetail> r = problem(HttpStatus.UNAUTHORIZED, "unauthenticated", "Not authenticated", e.getMessage());
    return ResponseEntity.status(r.getStatusCode()).header(HttpHeaders.WWW_AUTHENTICATE, "Bearer").body(r.getBody());
  }

  /** 400 from the library. */
  @ExceptionHandler(InvalidRequestException.class)
  public ResponseEntity<ProblemDetail> invalid(InvalidRequestException e) {
    return problem(HttpStatus.BAD_REQUEST, "invalid-request", "Invalid request", e.getMessage());
  }

  /** 400: a required parameter is missing. */
  @ExceptionHandler(MissingServletRequestParameterException.class)
  public ResponseEntity<ProblemDetail> missing(MissingServletRequestParameterException e) {
    return problem(HttpStatus.BAD_REQUEST, "invalid-request", "Invalid request",
        "parameter " + e.getParameterName() + " is required");
  }

  /** 400: a parameter is not of its type. */
  @ExceptionHandler(MethodArgumentTypeMismatchException.class)
  public ResponseEntity<ProblemDetail> mismatch(MethodArgumentTypeMismatchException e) {
    String type = e.getRequiredType() == null ? "value" : e.getRequiredType().getSimpleName();
    String expected = switch (type) {
      case "int", "Integer" -> "a whole number";
      case "double", "Double" -> "a number";
      default -> "a " + type;
    };
    return problem(HttpStatus.BAD_REQUEST, "invalid-request", "Invalid request",
        "parameter " + e.getName() + " '" + e.getValue() + "' is not " + expected);
  }

  /** 403. */
  @ExceptionHandler(AccessDeniedException.class)
  public ResponseEntity<ProblemDetail> denied(AccessDeniedException e) {
    return problem(HttpStatus.FORBIDDEN, "access-denied", "Access denied", e.getMessage());
  }

  /** 404. */
  @ExceptionHandler(NotFoundException.class)
  public ResponseEntity<ProblemDetail> notFound(NotFoundException e) {
    return problem(HttpStatus.NOT_FOUND, "not-found", "Not found", e.getMessage());
  }

  /** 503. */
  @ExceptionHandler({WarehouseException.class, SchemaException.class})
  public ResponseEntity<ProblemDetail> unavailable(RuntimeException e) {
    LOG.warn("fleet analytics: the warehouse failed: {}", e.getMessage(), e);
    return problem(HttpStatus.SERVICE_UNAVAILABLE, "warehouse-unavailable", "Warehouse unavailable",
        "the fleet warehouse could not answer; try again later");
  }
}
