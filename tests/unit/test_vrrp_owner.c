/* Two address owners (priority 255) on one link, keepalived 2.3.3's rule:
 * the one with the lower primary address gives way at once, the higher one
 * only when the other does not within the grace time; back to 255 once the
 * other is gone. */
#include "build-config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "vrrp/owner.h"

#define MS 1000u
#define GRACE (360 * MS)

static struct vaddr a4(const char *s)
{
	struct vaddr a;

	assert_int_equal(vaddr_parse(s, &a), 0);
	return a;
}

static void test_lower_address_gives_way_at_once(void **state)
{
	struct vrrp_owner_conflict c = {0};
	struct vaddr ours = a4("10.0.0.1"), theirs = a4("10.0.0.2");

	(void)state;
	assert_int_equal(vrrp_owner_on_advert(&c, &ours, &theirs, 1000 * MS, GRACE),
			 VRRP_OWNER_REDUCE);
	assert_true(c.reduced);
	/* said once: later adverts of the same conflict change nothing */
	assert_int_equal(vrrp_owner_on_advert(&c, &ours, &theirs, 1100 * MS, GRACE),
			 VRRP_OWNER_NONE);
	assert_true(vrrp_owner_restore(&c));
	assert_false(c.reduced);
	assert_false(vrrp_owner_restore(&c));
}

static void test_higher_address_waits_then_gives_way(void **state)
{
	struct vrrp_owner_conflict c = {0};
	struct vaddr ours = a4("10.0.0.9"), theirs = a4("10.0.0.2");
	uint64_t t = 5000 * MS;

	(void)state;
	assert_int_equal(vrrp_owner_on_advert(&c, &ours, &theirs, t, GRACE), VRRP_OWNER_KEEP);
	/* the other keeps advertising 255 every 100 ms */
	for (uint64_t dt = 100 * MS; dt < GRACE; dt += 100 * MS)
		assert_int_equal(vrrp_owner_on_advert(&c, &ours, &theirs, t + dt, GRACE),
				 VRRP_OWNER_NONE);
	assert_false(c.reduced);
	assert_int_equal(vrrp_owner_on_advert(&c, &ours, &theirs, t + 400 * MS, GRACE),
			 VRRP_OWNER_REDUCE);
	assert_true(c.reduced);
}

static void test_other_gave_way_then_a_new_conflict(void **state)
{
	struct vrrp_owner_conflict c = {0};
	struct vaddr ours = a4("fe80::9"), theirs = a4("fe80::2");

	(void)state;
	assert_int_equal(vrrp_owner_on_advert(&c, &ours, &theirs, 1000 * MS, GRACE),
			 VRRP_OWNER_KEEP);
	/* it went quiet (it gave way); much later it claims 255 again: a new
	 * conflict, with a new grace time */
	assert_int_equal(vrrp_owner_on_advert(&c, &ours, &theirs, 9000 * MS, GRACE),
			 VRRP_OWNER_KEEP);
	assert_int_equal(vrrp_owner_on_advert(&c, &ours, &theirs, 9100 * MS, GRACE),
			 VRRP_OWNER_NONE);
	assert_false(c.reduced);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_lower_address_gives_way_at_once),
	    cmocka_unit_test(test_higher_address_waits_then_gives_way),
	    cmocka_unit_test(test_other_gave_way_then_a_new_conflict),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
