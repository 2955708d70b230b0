# FindHyphen: libhyphen, the hyphenation library of LibreOffice and Hunspell
# (Debian: libhyphen-dev). It ships no pkg-config file and no CMake config,
# so we look for the header and library ourselves. The dictionaries (Debian:
# hyphen-en-us, hyphen-es...) are found at run time, not here.
#
# Defines Hyphen_FOUND and the imported target Hyphen::Hyphen.
find_path(Hyphen_INCLUDE_DIR NAMES hyphen.h)
find_library(Hyphen_LIBRARY NAMES hyphen libhyphen)

include(FindPackageHandleStandardArgs)
find_package_handle_standard_args(Hyphen REQUIRED_VARS Hyphen_LIBRARY Hyphen_INCLUDE_DIR)

if(Hyphen_FOUND AND NOT TARGET Hyphen::Hyphen)
  add_library(Hyphen::Hyphen UNKNOWN IMPORTED)
  set_target_properties(Hyphen::Hyphen PROPERTIES
    IMPORTED_LOCATION "${Hyphen_LIBRARY}"
    INTERFACE_INCLUDE_DIRECTORIES "${Hyphen_INCLUDE_DIR}")
endif()
mark_as_advanced(Hyphen_INCLUDE_DIR Hyphen_LIBRARY)
