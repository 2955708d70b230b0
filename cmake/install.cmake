# What `cmake --install` puts where (GNUInstallDirs), the pkg-config file, the
# CMake package and the Debian package (CPack). Included by the top-level
# CMakeLists.txt once the targets exist.
#
#   bin/handout                       the program (libhandout.a linked in)
#   lib*/libhandout.so.0 (+ .so)      the shared library, only handout.h's API exported
#   lib*/libhandout.a                 the static library
#   lib*/pkgconfig/handout.pc         pkg-config --cflags --libs handout
#   lib*/cmake/handout/               find_package(handout) -> handout::handout
#   include/handout.h                 the public header, alone
#   share/handout/                    the data: schema/ library/ templates/ clinic/
#                                     sessions/ and records/ (samples),
#                                     fonts/fonts.xml (the font families)
#   share/man/man1/handout.1, man5/handout-xml.5
#   share/doc/handout/                README.md, xml/README.md, examples/
#
# Every file belongs to one component, and each component is one Debian
# package (cmake/package.cmake): program (handout), library (libhandout0),
# development (libhandout-dev), data (handout-data). `cmake --install`
# without --component installs them all.
include(CMakePackageConfigHelpers)

# The header's version is the project's: `handout --version`, the .pc file
# and the package all say one number.
file(STRINGS include/handout.h _hd_version REGEX "^#define HD_VERSION_STRING ")
if(NOT _hd_version MATCHES "\"${PROJECT_VERSION}\"")
  message(FATAL_ERROR "include/handout.h: HD_VERSION_STRING is not ${PROJECT_VERSION} "
                      "(project() in CMakeLists.txt); change both together")
endif()

install(TARGETS handout RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT program)
# libhandout.so.0 (and the file it links to) in the library's package; the
# unversioned libhandout.so, which only the linker reads, in the -dev one.
install(TARGETS handout_shared EXPORT handoutTargets
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT library
    NAMELINK_COMPONENT development
  INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(TARGETS libhandout ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT development)
# `cmake --install --strip` (and CPack's CPACK_STRIP_FILES) strips programs and
# shared libraries but leaves a static library as it is; take its debugging
# information out too, as dh_strip does (libhandout.a: 3.0 MB -> 0.8 MB).
install(CODE "
  if(CMAKE_INSTALL_DO_STRIP)
    execute_process(COMMAND \"${CMAKE_STRIP}\" --strip-debug
      \"\$ENV{DESTDIR}\${CMAKE_INSTALL_PREFIX}/${CMAKE_INSTALL_LIBDIR}/$<TARGET_FILE_NAME:libhandout>\"
      COMMAND_ERROR_IS_FATAL ANY)
  endif()" COMPONENT development)
install(FILES include/handout.h DESTINATION ${CMAKE_INSTALL_INCLUDEDIR} COMPONENT development)

# pkg-config: the shared library by default; its dependencies are private
# (Requires.private, Libs.private), needed only with --static.
# libharu, libhyphen and libcsv have no .pc file in Debian, hence Libs.private.
# GMime, libcurl and libqpdf are in Libs.private too, as plain -l flags:
# their own .pc files' --static closure names some sixty static libraries
# (gpgme, nghttp2, ldap, krb5...) that no program linking libhandout.a
# against the system's shared libraries needs.
# The prefix is the one installed to (cmake --install --prefix, CPack's /usr),
# known only at install time; the rest is filled in now.
configure_file(cmake/handout.pc.in handout.pc.in @ONLY)
install(CODE "
  file(READ \"${CMAKE_CURRENT_BINARY_DIR}/handout.pc.in\" pc)
  string(REPLACE \"%PREFIX%\" \"\${CMAKE_INSTALL_PREFIX}\" pc \"\${pc}\")
  file(WRITE \"${CMAKE_CURRENT_BINARY_DIR}/handout.pc\" \"\${pc}\")" COMPONENT development)
install(FILES "${CMAKE_CURRENT_BINARY_DIR}/handout.pc"
        DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig COMPONENT development)

# The CMake package: handout::handout is the shared library. Its private
# dependencies are not part of its interface, so the package needs none.
set(HANDOUT_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/handout)
install(EXPORT handoutTargets NAMESPACE handout:: DESTINATION ${HANDOUT_CMAKE_DIR}
        COMPONENT development)
configure_package_config_file(cmake/handoutConfig.cmake.in
  "${CMAKE_CURRENT_BINARY_DIR}/handoutConfig.cmake" INSTALL_DESTINATION ${HANDOUT_CMAKE_DIR})
write_basic_package_version_file("${CMAKE_CURRENT_BINARY_DIR}/handoutConfigVersion.cmake"
  COMPATIBILITY SameMinorVersion)
install(FILES "${CMAKE_CURRENT_BINARY_DIR}/handoutConfig.cmake"
        "${CMAKE_CURRENT_BINARY_DIR}/handoutConfigVersion.cmake"
        DESTINATION ${HANDOUT_CMAKE_DIR} COMPONENT development)

# The data folder: what the engine reads (schema/, library/, templates/,
# clinic/), the sample sessions and a client's sample records folders.
install(DIRECTORY xml/schema xml/library xml/templates xml/clinic xml/sessions xml/records
        DESTINATION ${HANDOUT_INSTALL_DATADIR} COMPONENT data)
install(FILES fonts/fonts.xml DESTINATION ${HANDOUT_INSTALL_DATADIR}/fonts COMPONENT data)

install(FILES man/handout.1 DESTINATION ${CMAKE_INSTALL_MANDIR}/man1 COMPONENT program)
install(FILES man/handout-xml.5 DESTINATION ${CMAKE_INSTALL_MANDIR}/man5 COMPONENT program)

install(FILES README.md DESTINATION ${CMAKE_INSTALL_DOCDIR} COMPONENT program)
install(FILES examples/aftercare.c examples/CMakeLists.txt
        DESTINATION ${CMAKE_INSTALL_DOCDIR}/examples COMPONENT development)
install(FILES xml/README.md DESTINATION ${CMAKE_INSTALL_DOCDIR} RENAME README-xml.md
        COMPONENT data)
include(cmake/package.cmake)
