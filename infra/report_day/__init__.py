"""`tanpuhui report day`: the day in one picture and one table (data, HTML, PNG)."""
