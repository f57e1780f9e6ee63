package se.nestit.audience.generate;

import java.util.Locale;
import java.util.SplittableRandom;

/** Derives customer {@code i} from the seed alone, so every file agrees on who the customer is. */
final class Population {

    private static final String[] FIRST = {
        "Anna", "Erik", "Maria", "Lars", "Karin", "Anders", "Eva", "Johan", "Sara", "Per", "Elin", "Mikael", "Emma",
        "Karl", "Linnea", "Nils", "Åsa", "Björn", "Ingrid", "Oskar", "Märta", "Göran", "Frida", "Olof", "Tove", "Hugo",
        "Saga", "Axel", "Maja", "Viktor"
    };
    private static final String[] LAST = {
        "Andersson",
        "Johansson",
        "Karlsson",
        "Nilsson",
        "Eriksson",
        "Larsson",
        "Olsson",
        "Persson",
        "Svensson",
        "Gustafsson",
        "Pettersson",
        "Jonsson",
        "Jansson",
        "Hansson",
        "Bengtsson",
        "Jönsson",
        "Lindberg",
        "Jakobsson",
        "Magnusson",
        "Lindström",
        "Olofsson",
        "Lindqvist",
        "Lindgren",
        "Axelsson",
        "Berg",
        "Bergström",
        "Lundberg",
        "Lind",
        "Lundgren",
        "Mattsson",
        "Berglund",
        "Fredriksson",
        "Sandberg",
        "Henriksson",
        "Forsberg",
        "Sjöberg",
        "Wallin",
        "Engström",
        "Eklund",
        "Danielsson",
        "Lundin",
        "Håkansson",
        "Björk",
        "Bergman",
        "Gunnarsson",
        "Holm",
        "Wikström",
        "Samuelsson",
        "Isaksson",
        "Fransson",
        "Bergqvist",
        "Nyström",
        "Holmberg",
        "Arvidsson",
        "Löfgren",
        "Söderberg",
        "Nyberg",
        "Blomqvist",
        "Claesson",
        "Nordström"
    };
    private static final String[] DOMAINS = {
        "gmail.com",
        "gmail.com",
        "gmail.com",
        "gmail.com",
        "gmail.com",
        "gmail.com",
        "gmail.com",
        "hotmail.com",
        "hotmail.com",
        "outlook.com",
        "outlook.com",
        "icloud.com",
        "icloud.com",
        "telia.com",
        "telia.com",
        "yahoo.se",
        "bredband.net",
        "googlemail.com",
        "bahnhof.se",
        "live.se"
    };
    private static final String[] BRANDS = {
        "bokhornan",
        "bokhornan",
        "bokhornan",
        "bokhornan",
        "nordbok",
        "nordbok",
        "nordbok",
        "nestit-tech",
        "nestit-tech"
    };
    private static final String[] COUNTRIES = {"SE", "SE", "SE", "SE", "SE", "SE", "SE", "SE", "NO", "FI", "DK"};

    private final long seed;
    private final Catalog catalog = new Catalog();

    Population(long seed) {
        this.seed = seed;
    }

    Catalog catalog() {
        return catalog;
    }

    Person person(int i) {
        SplittableRandom r = new SplittableRandom(seed ^ (i * 0x94D049BB133111EBL));
        String first = FIRST[r.nextInt(FIRST.length)];
        String last = LAST[r.nextInt(LAST.length)];
        String email = address(first, last, r);
        double shared = r.nextDouble();
        if (i > 0 && shared < 0.005) {
            email = person(i - 1).email(); // two customer records, one person
        } else if (i > 0 && shared < 0.01) {
            email = gmailVariant(person(i - 1).email(), r);
        }
        String cell = cell(email, r);
        String country = COUNTRIES[r.nextInt(COUNTRIES.length)];
        String postal = String.format(Locale.ROOT, "%03d %02d", 100 + r.nextInt(880), r.nextInt(100));
        return new Person(
                String.format(Locale.ROOT, "C%07d", i + 1),
                email,
                cell,
                first,
                last,
                country,
                postal,
                BRANDS[r.nextInt(BRANDS.length)]);
    }

    /** Names repeat in a population this size, so most addresses carry a number, as real ones do. */
    private static String address(String first, String last, SplittableRandom r) {
        String[] separators = {"", ".", "_"};
        String local = ascii(first)
                + separators[r.nextInt(separators.length)]
                + ascii(last)
                + (r.nextInt(10) < 7 ? Integer.toString(1 + r.nextInt(9999)) : "");
        return local + "@"
                + (r.nextInt(8) == 0 ? "firma" + r.nextInt(500) + ".se" : DOMAINS[r.nextInt(DOMAINS.length)]);
    }

    /** The same Gmail mailbox spelled another way: dots and a +tag Google ignores. */
    private static String gmailVariant(String email, SplittableRandom r) {
        int at = email.indexOf('@');
        String local = email.substring(0, at);
        if (!email.endsWith("@gmail.com") || local.length() < 2) {
            return email;
        }
        return local.charAt(0) + "." + local.substring(1) + "+" + (r.nextBoolean() ? "books" : "news")
                + email.substring(at);
    }

    private static String cell(String email, SplittableRandom r) {
        double x = r.nextDouble();
        if (x < 0.005) {
            return "";
        }
        if (x < 0.012) {
            String[] broken = {
                email.replace("@", ""),
                email.replace("@", "@@"),
                email.substring(0, email.indexOf('@') + 1) + "localhost",
                email.replaceFirst("\\.", " ")
            };
            return broken[r.nextInt(broken.length)];
        }
        if (x < 0.027) {
            String[] pads = {" ", "  ", "\t", "\u00A0"};
            return pads[r.nextInt(pads.length)] + email + pads[r.nextInt(pads.length)];
        }
        if (x < 0.042) {
            return Character.toUpperCase(email.charAt(0))
                    + email.substring(1, email.indexOf('@')).toUpperCase(Locale.ROOT)
                    + email.substring(email.indexOf('@'));
        }
        return email;
    }

    private static String ascii(String name) {
        return name.toLowerCase(Locale.ROOT).replace('å', 'a').replace('ä', 'a').replace('ö', 'o');
    }
}
