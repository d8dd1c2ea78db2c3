# package.cmake - `cmake --install` layout extras and the Debian package
# (CPack DEB).  Build the real package with scripts/package.sh, which
# configures CMAKE_INSTALL_PREFIX=/usr; shared-library dependencies are
# found by dpkg-shlibdeps from the binaries themselves.  The binaries are
# stripped into the package, their debug information goes to wms-dbgsym
# (a .ddeb, as Debian's own builds make it).  packaging/debian holds the
# copyright, changelog and maintainer scripts.
include(GNUInstallDirs)

set(deb ${PROJECT_SOURCE_DIR}/packaging/debian)
install(FILES ${PROJECT_SOURCE_DIR}/docs/wmsd.conf.example
        DESTINATION ${CMAKE_INSTALL_DOCDIR}/examples RENAME wmsd.conf)
install(FILES ${PROJECT_SOURCE_DIR}/README.md DESTINATION ${CMAKE_INSTALL_DOCDIR})
install(FILES ${deb}/copyright DESTINATION ${CMAKE_INSTALL_DOCDIR})
# a native package's changelog: usr/share/doc/wms/changelog.gz, compressed reproducibly
set(changelog_gz ${PROJECT_BINARY_DIR}/changelog.gz)
add_custom_command(OUTPUT ${changelog_gz}
                   COMMAND gzip -9n -c ${deb}/changelog > ${changelog_gz}
                   DEPENDS ${deb}/changelog VERBATIM)
add_custom_target(deb_changelog ALL DEPENDS ${changelog_gz})
install(FILES ${changelog_gz} DESTINATION ${CMAKE_INSTALL_DOCDIR})

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME wms)
set(CPACK_PACKAGE_VENDOR "Hjälpmedelscentralen")
set(CPACK_PACKAGE_CONTACT "Hjälpmedelscentralen IT <it@hjalpmedelscentralen.example>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "warehouse control for digital assistive devices (wmsd, wms)")
set(CPACK_PACKAGE_DESCRIPTION "wmsd reads barcode scanners and keeps the device ledger in SQLite;\nwms is the command-line tool over the same store.")
set(CPACK_PACKAGING_INSTALL_PREFIX ${CMAKE_INSTALL_PREFIX})
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION misc)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "systemd, cups-client, init-system-helpers (>= 1.52)")
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA ${deb}/postinst ${deb}/prerm ${deb}/postrm)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
# CPackDeb splits the debug information out (objcopy --only-keep-debug) and strips
# the binaries itself (--strip-unneeded); CPACK_STRIP_FILES would strip them first
# and leave nothing for wms-dbgsym
set(CPACK_DEBIAN_DEBUGINFO_PACKAGE ON)
include(CPack)
