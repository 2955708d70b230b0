# The Debian packages: ./build.sh deb (a build of its own, configured with
# -DHANDOUT_DEB=ON, then cpack -G DEB). Four packages, one per install
# component (cmake/install.cmake), split the Debian way:
#
#   libhandout0     libhandout.so.0 (Section libs). Depends: what dpkg-shlibdeps
#                   finds for the libraries it links, handout-data (= version)
#                   and the fonts it embeds (DejaVu Sans: regular and bold in
#                   fonts-dejavu-core, the obliques in fonts-dejavu-extra, on
#                   Debian 12); the hyphenation dictionaries are recommended
#                   (without them text is set unhyphenated, with a warning).
#                   Its shlibs file says libhandout0 (>= version).
#   handout-data    share/handout (Architecture all): what the library reads.
#                   Not in libhandout0, because a library package must be
#                   installable beside its successor (libhandout1 after an ABI
#                   break), and two packages cannot both own /usr/share/handout;
#                   it is the same on every architecture, so it is built once.
#   libhandout-dev  handout.h, libhandout.so, libhandout.a, handout.pc and the
#                   CMake package (Section libdevel). Depends: libhandout0
#                   (= version) and the -dev packages handout.pc names
#                   (Requires.private: pkg-config fails without them, even
#                   without --static) or libhandout.a needs (Libs.private).
#   handout         the program and the manual. Depends: libhandout0 (= version)
#                   (the program uses libhandout.so.0; dpkg-shlibdeps cannot
#                   see the shlibs file of a package not yet installed, so the
#                   dependency is declared) and what dpkg-shlibdeps finds for
#                   the libraries the desk links (libmicrohttpd, nettle).
#
# Tested by tests/sh/test_deb.sh.

# Only the package build may be packed: a developer's build installs to
# /usr/local (so /usr/lib, not /usr/lib/<triplet>) and compiles in the path of
# its checkout. cpack reads this file when it starts.
set(HANDOUT_CPACK_CHECK "${CMAKE_CURRENT_BINARY_DIR}/CPackCheck.cmake")
file(WRITE "${HANDOUT_CPACK_CHECK}" "
set(_hd_deb_build ${HANDOUT_DEB})
if(CPACK_GENERATOR STREQUAL \"DEB\" AND NOT _hd_deb_build)
  message(FATAL_ERROR \"${CMAKE_CURRENT_BINARY_DIR} is not the package build \"
    \"(prefix ${CMAKE_INSTALL_PREFIX}, this checkout's path compiled in): make the packages \"
    \"with ./build.sh deb, or configure a build of their own with -DHANDOUT_DEB=ON\")
endif()
")
set(CPACK_PROJECT_CONFIG_FILE "${HANDOUT_CPACK_CHECK}")

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME handout)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT "handout maintainers <handout@example.invalid>")
# Each package's description (below) starts with its own one-line summary:
# no CPACK_PACKAGE_DESCRIPTION_SUMMARY, which CPack would put before each.
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_COMPONENTS_ALL library data development program)
set(CPACK_DEBIAN_ENABLE_COMPONENT_DEPENDS ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# The program's libhandout.so.0 is this build's: dpkg-shlibdeps reads it
# here, and finds no package for it (--ignore-missing-info, which CPack
# passes): the handout package's Depends names libhandout0 itself.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS_PRIVATE_DIRS "${CMAKE_CURRENT_BINARY_DIR}")
# libhandout0's shlibs file: a program linked against this version needs
# libhandout0 (>= this version) (only libhandout0 holds a shared object).
set(CPACK_DEBIAN_PACKAGE_GENERATE_SHLIBS ON)
set(CPACK_DEBIAN_PACKAGE_GENERATE_SHLIBS_POLICY ">=")

set(_hd_about "handout turns XML content (massage techniques, self-care tips, warning
signs) and a client's session record into PDF handouts: an aftercare sheet,
a tri-fold brochure, a back care guide, a progress report.")

set(CPACK_DEBIAN_LIBRARY_PACKAGE_NAME "libhandout${HANDOUT_SOVERSION}")
set(CPACK_DEBIAN_LIBRARY_PACKAGE_SECTION libs)
set(CPACK_DEBIAN_LIBRARY_PACKAGE_DEPENDS "fonts-dejavu-core, fonts-dejavu-extra")
set(CPACK_DEBIAN_LIBRARY_PACKAGE_RECOMMENDS "hyphen-en-us, hyphen-es")
set(CPACK_COMPONENT_LIBRARY_DEPENDS data)
set(CPACK_COMPONENT_LIBRARY_DESCRIPTION "personalized PDF handouts for massage clients (library)
${_hd_about}
.
This package holds the shared library.")

set(CPACK_DEBIAN_DATA_PACKAGE_NAME handout-data)
set(CPACK_DEBIAN_DATA_PACKAGE_ARCHITECTURE all)
set(CPACK_DEBIAN_DATA_PACKAGE_SECTION text)
set(CPACK_DEBIAN_DATA_PACKAGE_SHLIBDEPS OFF)
set(CPACK_COMPONENT_DATA_DESCRIPTION "personalized PDF handouts for massage clients (data)
${_hd_about}
.
This package holds what the library reads: the schemas, the content
library, the templates, a sample clinic, sample sessions and records.")

set(CPACK_DEBIAN_DEVELOPMENT_PACKAGE_NAME libhandout-dev)
set(CPACK_DEBIAN_DEVELOPMENT_PACKAGE_SECTION libdevel)
# The package of each .pc file in handout.pc's Requires.private (pkg-config
# needs them all), then of each -l library in its Libs.private (linking
# libhandout.a); tests/sh/test_deb.sh derives both lists from handout.pc.
# liblzma-dev too: libxml-2.0.pc needs -llzma for --static, but
# libxml2-dev does not depend on liblzma-dev (Debian 12).
set(CPACK_DEBIAN_DEVELOPMENT_PACKAGE_DEPENDS "libxml2-dev, libharfbuzz-dev, libfontconfig-dev, \
libpng-dev, zlib1g-dev, libqrencode-dev, libssl-dev, libhpdf-dev, libhyphen-dev, libcsv-dev, \
libgmime-3.0-dev, libglib2.0-dev, libcurl4-openssl-dev | libcurl-dev, libqpdf-dev, liblzma-dev")
set(CPACK_DEBIAN_DEVELOPMENT_PACKAGE_SHLIBDEPS OFF)
set(CPACK_COMPONENT_DEVELOPMENT_DEPENDS library)
set(CPACK_COMPONENT_DEVELOPMENT_DESCRIPTION "personalized PDF handouts for massage clients (development files)
${_hd_about}
.
This package holds the header, the static library, the pkg-config file
(pkg-config handout), the CMake package (find_package(handout)) and an
example program.")

set(CPACK_DEBIAN_PROGRAM_PACKAGE_NAME handout)
set(CPACK_DEBIAN_PROGRAM_PACKAGE_SECTION text)
set(CPACK_COMPONENT_PROGRAM_DEPENDS library)
set(CPACK_COMPONENT_PROGRAM_DESCRIPTION "personalized PDF handouts for massage clients
${_hd_about}
.
This package holds the program (handout render, brochure, guide, report,
batch, mail, serve) and its manual.")
include(CPack)
