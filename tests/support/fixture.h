/*
 * The engine most unit tests share: one per test program, on the checkout's
 * data folder (xml/), made before the first test and freed after the last
 * (cmocka_run_group_tests(tests, hd_test_setup, hd_test_teardown)).
 */
#ifndef HD_TEST_FIXTURE_H
#define HD_TEST_FIXTURE_H

#include <handout.h>

extern hd_engine *hd_test_engine;

/* Makes hd_test_engine; -1 (the group fails) when it cannot be made. */
int hd_test_setup(void **state);
/* Frees hd_test_engine. */
int hd_test_teardown(void **state);

#endif
