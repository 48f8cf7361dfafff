"""The Workshop-Mappe: the PDF/XLSX handout, the methods report and their background job."""
