package se.nestit.audience.generate;

/**
 * One generated customer.
 *
 * @param email the address as the person uses it
 * @param emailCell how customers.csv holds it: sometimes padded, mixed-case, invalid or empty
 */
record Person(
        String customerId,
        String email,
        String emailCell,
        String firstName,
        String lastName,
        String country,
        String postalCode,
        String brand) {}
