# wms_room.cmake - how a room's library shows itself to the rest of the build.
#
# wms_public_headers(<target> <header>...)
#   The listed headers (files of the calling folder) are the room's interface:
#   they are linked into <build>/include/<target>/, the only include directory
#   <target> gives to what links it.  The room's own sources see their whole
#   folder; every other header stays private to the room.  An INTERFACE target
#   (a second, narrower door into a room) gets the directory as its interface.
#   A public header may include only public headers (its own room's or those of
#   the libraries it links): the build fails otherwise, which is the point.
#
# wms_room_private(<target> <room folder>...)
#   For white-box tests and benchmarks only: <target> also sees the internal
#   headers of the named room folders (relative to the source root).
function(wms_public_headers target)
  set(dir ${PROJECT_BINARY_DIR}/include/${target})
  file(REMOVE_RECURSE ${dir})
  file(MAKE_DIRECTORY ${dir})
  foreach(header ${ARGN})
    set(src ${CMAKE_CURRENT_SOURCE_DIR}/${header})
    if(NOT EXISTS ${src})
      message(FATAL_ERROR "wms_public_headers(${target}): no ${src}")
    endif()
    file(CREATE_LINK ${src} ${dir}/${header} SYMBOLIC)
  endforeach()
  get_target_property(type ${target} TYPE)
  if(type STREQUAL "INTERFACE_LIBRARY")
    target_include_directories(${target} INTERFACE ${dir})
  else()
    target_include_directories(${target} PUBLIC ${dir} PRIVATE ${CMAKE_CURRENT_SOURCE_DIR})
  endif()
endfunction()

function(wms_room_private target)
  foreach(room ${ARGN})
    target_include_directories(${target} PRIVATE ${PROJECT_SOURCE_DIR}/${room})
  endforeach()
endfunction()
