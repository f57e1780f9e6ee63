package se.nestit.audience.generate;

import java.util.Arrays;
import java.util.SplittableRandom;

/** The group's assortment, with the skewed popularity real shops have (a few bestsellers, a long tail). */
final class Catalog {

    record Product(String id, String category, String author, long priceCents) {
        String url(String brand) {
            return "https://" + brand + ".se/p/" + id;
        }
    }

    private static final String[] BOOK_CATEGORIES = {
        "crime-fiction", "fantasy", "romance", "biography", "childrens", "cookbooks", "science-fiction", "history"
    };
    private static final String[] IT_CATEGORIES = {"accessories", "laptops", "monitors", "networking", "phones"};
    private static final long[][] IT_PRICES = {{99, 900}, {7_990, 24_990}, {1_490, 8_990}, {390, 3_490}, {2_990, 14_990}
    };
    private static final String[] AUTHORS = {
        "Camilla Läckberg",
        "Henning Mankell",
        "Stieg Larsson",
        "Lars Kepler",
        "Liza Marklund",
        "Arne Dahl",
        "Åsa Larsson",
        "Jo Nesbø",
        "Viveca Sten",
        "Mons Kallentoft",
        "Brandon Sanderson",
        "J.R.R. Tolkien",
        "Robin Hobb",
        "Joe Abercrombie",
        "N.K. Jemisin",
        "Astrid Lindgren",
        "Selma Lagerlöf",
        "Jonas Jonasson",
        "Fredrik Backman",
        "Kristina Ohlsson",
        "Anders de la Motte",
        "Maria Lang",
        "Sjöwall & Wahlöö",
        "Håkan Nesser",
        "Karin Alvtegen",
        "Ursula K. Le Guin",
        "Terry Pratchett",
        "Neil Gaiman",
        "Margaret Atwood",
        "Tove Jansson"
    };
    private static final int PRODUCTS_PER_CATEGORY = 2_000;

    private final double[] bookCategories = zipf(BOOK_CATEGORIES.length, 1.0);
    private final double[] itCategories = zipf(IT_CATEGORIES.length, 0.8);
    private final double[] authors = zipf(AUTHORS.length, 1.1);
    private final double[] products = zipf(PRODUCTS_PER_CATEGORY, 1.05);

    /** A product a customer of this brand might view or buy. */
    Product pick(SplittableRandom r, Person p) {
        boolean techShop = p.brand().equals("nestit-tech");
        boolean book = techShop ? r.nextDouble() < 0.15 : r.nextDouble() < 0.9;
        int product = draw(products, r);
        if (book) {
            int c = draw(bookCategories, r);
            String author = AUTHORS[draw(authors, r)];
            long price = 9_900 + (product * 7919L % 30_000);
            return new Product("B" + c + "-" + product, BOOK_CATEGORIES[c], author, price);
        }
        int c = draw(itCategories, r);
        long[] range = IT_PRICES[c];
        long price = (range[0] + product * 104_729L % (range[1] - range[0])) * 100;
        return new Product("T" + c + "-" + product, IT_CATEGORIES[c], "", price);
    }

    private static double[] zipf(int n, double s) {
        double[] cumulative = new double[n];
        double sum = 0;
        for (int k = 0; k < n; k++) {
            sum += 1 / Math.pow(k + 1, s);
            cumulative[k] = sum;
        }
        for (int k = 0; k < n; k++) {
            cumulative[k] /= sum;
        }
        return cumulative;
    }

    private static int draw(double[] cumulative, SplittableRandom r) {
        int i = Arrays.binarySearch(cumulative, r.nextDouble());
        return Math.min(i < 0 ? -i - 1 : i, cumulative.length - 1);
    }
}
