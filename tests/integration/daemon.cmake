# wmsd end to end: FIFO stations, scan journal, signals (included from CMakeLists.txt).
add_test(NAME wmsd_end_to_end
         COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/wmsd_test.sh $<TARGET_FILE:wmsd> $<TARGET_FILE:wms>)
set_tests_properties(wmsd_end_to_end PROPERTIES LABELS integration TIMEOUT 300)
add_test(NAME wmsd_station_flows
         COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/station_flow_test.sh $<TARGET_FILE:wmsd> $<TARGET_FILE:wms>)
set_tests_properties(wmsd_station_flows PROPERTIES LABELS integration TIMEOUT 300)
# Runtime files: FIFOs made and made again, stations down, required = yes (issue 17).
add_test(NAME wmsd_runtime_files
         COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/wmsd_runtime_test.sh $<TARGET_FILE:wmsd> $<TARGET_FILE:wms>)
set_tests_properties(wmsd_runtime_files PROPERTIES LABELS integration TIMEOUT 300)

# What a worker and a technician see at a station (issue 19): header, language, failed
# measurements, measured values by scan and keypad, command sheets, labels when missing.
add_test(NAME wmsd_station_screen
         COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/station_screen_test.sh $<TARGET_FILE:wmsd> $<TARGET_FILE:wms>
                 ${PROJECT_SOURCE_DIR}/reconditioning/checklists)
set_tests_properties(wmsd_station_screen PROPERTIES LABELS integration TIMEOUT 300)
# A dispatcher's paperwork (issue 19): customer addresses, delivery notes from orders, pickup
# points set afterwards, the demo region's registry, SSCC at dispatch, printer routing.
add_test(NAME dispatch_paperwork
         COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/dispatch_paper_test.sh $<TARGET_FILE:wmsd> $<TARGET_FILE:wms>)
set_tests_properties(dispatch_paperwork PROPERTIES LABELS integration TIMEOUT 300)
# Transfers between depots (issue 18): a transfer consignment's label from depot to depot, its
# SSCC sent by Mölndal's dispatch station and taken in by Skövde's receipt station, every state
# in `wms transfer list`.
add_test(NAME transfer_stations
         COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/transfer_station_test.sh $<TARGET_FILE:wmsd> $<TARGET_FILE:wms>)
set_tests_properties(transfer_stations PROPERTIES LABELS integration TIMEOUT 300)
# Goods in against supplier deliveries (issue 19): import, DLV: at a receipt station with the
# running count, over-receipt and unannounced products refused, show, close, the API.
add_test(NAME goods_in_deliveries
         COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/goods_in_test.sh $<TARGET_FILE:wmsd> $<TARGET_FILE:wms>)
set_tests_properties(goods_in_deliveries PROPERTIES LABELS integration TIMEOUT 300)
