package se.nestit.audience.consent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class ConsentPolicyTest {

    @Test
    void defaultIsMarketingFor395DaysWithoutBrand() {
        assertEquals("marketing", ConsentPolicy.DEFAULT.purpose());
        assertEquals(395, ConsentPolicy.DEFAULT.maxAgeDays());
        assertEquals(Optional.empty(), ConsentPolicy.DEFAULT.brand());
    }

    @Test
    void purposeIsStripped() {
        assertEquals("marketing", new ConsentPolicy("\u00A0marketing\t", 395, Optional.empty()).purpose());
    }

    @Test
    void blankPurposeIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> new ConsentPolicy("", 395, Optional.empty()));
        assertThrows(IllegalArgumentException.class, () -> new ConsentPolicy(" \u00A0", 395, Optional.empty()));
    }

    @Test
    void nullsAreRejected() {
        assertThrows(NullPointerException.class, () -> new ConsentPolicy(null, 395, Optional.empty()));
        assertThrows(NullPointerException.class, () -> new ConsentPolicy("marketing", 395, null));
    }

    @Test
    void maxAgeBelowOneDayIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> new ConsentPolicy("marketing", 0, Optional.empty()));
        assertThrows(IllegalArgumentException.class, () -> new ConsentPolicy("marketing", -1, Optional.empty()));
        assertEquals(1, new ConsentPolicy("marketing", 1, Optional.empty()).maxAgeDays());
    }

    @Test
    void brandIsStrippedAndBlankMeansNoScope() {
        assertEquals(Optional.of("bokia"), new ConsentPolicy("marketing", 395, Optional.of(" bokia\u00A0")).brand());
        assertEquals(Optional.empty(), new ConsentPolicy("marketing", 395, Optional.of(" \t")).brand());
    }

    @Test
    void coversPurposeTrimmedCaseInsensitively() {
        ConsentPolicy p = ConsentPolicy.DEFAULT;
        assertTrue(p.coversPurpose("Marketing"));
        assertTrue(p.coversPurpose("\uFEFF MARKETING \u00A0"));
        assertFalse(p.coversPurpose("marketing-sms"));
        assertFalse(p.coversPurpose("market ing"));
        assertFalse(p.coversPurpose(""));
    }

    @Test
    void blankBrandScopeCoversEveryBrand() {
        // A configured but blank brand must not silently drop every branded record.
        ConsentPolicy p = new ConsentPolicy("marketing", 395, Optional.of(" "));
        assertTrue(p.coversBrand("techshop"));
    }

    @Test
    void coversBrandWithScope() {
        ConsentPolicy p = new ConsentPolicy("marketing", 395, Optional.of("bokia"));
        assertTrue(p.coversBrand("bokia"));
        assertTrue(p.coversBrand(" bokia "));
        assertTrue(p.coversBrand(""));
        assertTrue(p.coversBrand("\u00A0"));
        assertFalse(p.coversBrand("techshop"));
        assertFalse(p.coversBrand("bokia2"));
    }

    @Test
    void coversEveryBrandWithoutScope() {
        ConsentPolicy p = ConsentPolicy.DEFAULT;
        assertTrue(p.coversBrand("bokia"));
        assertTrue(p.coversBrand("techshop"));
        assertTrue(p.coversBrand(""));
    }

    @Test
    void describeNamesPurposeAgeAndBrand() {
        assertEquals("purpose marketing, max age 395 days", ConsentPolicy.DEFAULT.describe());
        assertEquals(
                "purpose marketing, max age 30 days, brand bokia",
                new ConsentPolicy("Marketing", 30, Optional.of("bokia")).describe());
    }
}
