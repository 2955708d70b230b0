# The Debian package: cpack -G DEB --config build/CPackConfig.cmake
#
# One package, handout_<version>_<arch>.deb, with everything cmake --install
# puts under /usr. Depends: what dpkg-shlibdeps finds for the libraries the
# program and libhandout.so actually link (libxml2, libhpdf, HarfBuzz,
# libpng, zlib, libqrencode, libhyphen, GMime, libcurl, libqpdf, libc), plus the fonts handout
# embeds (DejaVu Sans: regular and bold are in fonts-dejavu-core, oblique and
# bold oblique in fonts-dejavu-extra, on Debian 12); the hyphenation dictionaries are recommended (without them text is
# set unhyphenated, with a warning). Tested by tests/sh/test_deb.sh.
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME handout)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT "handout maintainers <handout@example.invalid>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "personalized, print-ready PDF handouts for massage clients")
set(CPACK_PACKAGE_DESCRIPTION "handout turns XML content (massage techniques, self-care tips,
warning signs) and a client's session record into PDF handouts: an aftercare
sheet, a tri-fold brochure, a back care guide. The program, the C library
(shared and static, pkg-config and CMake package), the data and the manual.")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION text)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_GENERATE_SHLIBS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "fonts-dejavu-core, fonts-dejavu-extra")
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "hyphen-en-us, hyphen-es")
include(CPack)
