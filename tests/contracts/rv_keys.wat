;; A fixed key and a 32-byte variable key are different slots (review finding 6).  call:
;; seal0 set_storage(k) := "F", then seal1 get_storage(k, 32) (KeyNotFound expected), then
;; seal2 set_storage(k, 32) := "VV"; returns the rc of the get, then seal0 get_storage(k)'s value
;; (1 byte) and seal1 get_storage(k, 32)'s value (2 bytes).
(module
  (import "seal0" "seal_set_storage" (func $set0 (param i32 i32 i32)))
  (import "seal2" "set_storage" (func $set2 (param i32 i32 i32 i32) (result i32)))
  (import "seal0" "seal_get_storage" (func $get0 (param i32 i32 i32) (result i32)))
  (import "seal1" "get_storage" (func $get1 (param i32 i32 i32 i32) (result i32)))
  (import "seal0" "seal_return" (func $ret (param i32 i32 i32)))
  (import "env" "memory" (memory 1 1))
  (data (i32.const 0) "kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk")
  (data (i32.const 40) "FVV")
  (func (export "deploy"))
  (func (export "call")
    (call $set0 (i32.const 0) (i32.const 40) (i32.const 1))
    (i32.store (i32.const 96) (i32.const 16))
    (i32.store (i32.const 200) (call $get1 (i32.const 0) (i32.const 32) (i32.const 204) (i32.const 96)))
    (drop (call $set2 (i32.const 0) (i32.const 32) (i32.const 41) (i32.const 2)))
    (i32.store (i32.const 96) (i32.const 1))
    (drop (call $get0 (i32.const 0) (i32.const 204) (i32.const 96)))
    (i32.store (i32.const 96) (i32.const 2))
    (drop (call $get1 (i32.const 0) (i32.const 32) (i32.const 205) (i32.const 96)))
    (call $ret (i32.const 0) (i32.const 200) (i32.const 7))))
