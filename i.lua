wrk.method="POST"; wrk.body=[[{"code_hash":"0x6a49e34b4e05f72efcf174bfff6aba1cb1eb1caa5279832f6d1c8aabfeb7ebff","function":"add","args":[1,2]}]]; wrk.headers["Authorization"]="Bearer tok-b"
