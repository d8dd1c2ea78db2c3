# package.cmake - `cmake --install` layout extras and the Debian package
# (CPack DEB).  Build the real package with scripts/package.sh, which
# configures CMAKE_INSTALL_PREFIX=/usr; shared-library dependencies are
# found by dpkg-shlibdeps from the binaries themselves.
include(GNUInstallDirs)

install(FILES ${PROJECT_SOURCE_DIR}/docs/wmsd.conf.example
        DESTINATION ${CMAKE_INSTALL_DOCDIR}/examples RENAME wmsd.conf)
install(FILES ${PROJECT_SOURCE_DIR}/README.md DESTINATION ${CMAKE_INSTALL_DOCDIR})

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME wms)
set(CPACK_PACKAGE_VENDOR "Hjälpmedelscentralen")
set(CPACK_PACKAGE_CONTACT "Hjälpmedelscentralen IT <it@hjalpmedelscentralen.example>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "Warehouse control for digital assistive devices (wmsd, wms)")
set(CPACK_PACKAGE_DESCRIPTION "wmsd reads barcode scanners and keeps the device ledger in SQLite;\nwms is the command-line tool over the same store.")
set(CPACK_PACKAGING_INSTALL_PREFIX ${CMAKE_INSTALL_PREFIX})
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION misc)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "systemd, cups-client")
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA ${PROJECT_SOURCE_DIR}/systemd/debian/postinst)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
include(CPack)
