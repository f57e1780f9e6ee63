package se.nestit.audience.destination.meta;

/** The Graph API answered with an error. Its message holds no token, secret or personal data. */
@SuppressWarnings("serial") // never serialized: it does not leave the process
final class GraphException extends RuntimeException {

    private final GraphError error;

    GraphException(GraphError error) {
        super(error.metaSays() + " (" + error.reference() + ")");
        this.error = error;
    }

    GraphError error() {
        return error;
    }
}
