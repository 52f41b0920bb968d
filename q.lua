wrk.method="POST"; wrk.body=[[{"data":"0x2f865bd9"}]]; wrk.headers["Authorization"]="Bearer tok-b"
